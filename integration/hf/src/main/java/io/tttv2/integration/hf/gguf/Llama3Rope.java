package io.tttv2.integration.hf.gguf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Llama 3's RoPE scaling between HF's parameters ({@code factor}, {@code low_freq_factor},
 * {@code high_freq_factor}, {@code original_max_position_embeddings}) and llama.cpp's {@code rope_freqs.weight}:
 * one divisor per rotary frequency, {@code 1} for short wavelengths, {@code factor} for long ones and a smooth
 * blend between. Reading fits the parameters to the tensor and checks every divisor against them.
 */
final class Llama3Rope {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Llama3Rope() {
    }

    /** The divisor of each of the {@code rotaryDim / 2} frequencies, as transformers' llama3 RoPE applies them. */
    static float[] factors(double theta, int rotaryDim, double factor, double low, double high, double original) {
        float[] out = new float[rotaryDim / 2];
        double lowWavelen = original / low;
        double highWavelen = original / high;
        for (int i = 0; i < out.length; i++) {
            double freq = 1.0 / Math.pow(theta, 2.0 * i / rotaryDim);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highWavelen) {
                out[i] = 1f;
            } else if (wavelen > lowWavelen) {
                out[i] = (float) factor;
            } else {
                double smooth = (original / wavelen - low) / (high - low);
                out[i] = (float) (1 / ((1 - smooth) / factor + smooth));
            }
        }
        return out;
    }

    /** Adds llama3 parameters to {@code rope} that reproduce the file's {@code rope_freqs.weight}. */
    static void fit(GgufFile file, ObjectNode rope) {
        GgufTensorInfo info = file.tensor("rope_freqs.weight");
        if (info.type() != GgmlType.F32 || info.dims().length != 1) {
            throw new GgufFormatException(file.path() + ": tensor 'rope_freqs.weight' expected F32 of one dimension, "
                    + "found " + info.type() + " " + java.util.Arrays.toString(info.dims()));
        }
        MemorySegment data = file.data(info);
        int n = (int) info.dims()[0];
        float[] found = new float[n];
        MemorySegment.copy(data, F32, 0, found, 0, n);
        double theta = rope.get("rope_theta").asDouble();
        int rotaryDim = 2 * n;
        double factor = 1;
        for (float f : found) {
            factor = Math.max(factor, f);
        }
        double[] params = null;
        for (double[] guess : candidates(file, found, theta, rotaryDim, factor)) {
            if (guess != null && matches(found, factors(theta, rotaryDim, factor, guess[0], guess[1], guess[2]))) {
                params = guess;
                break;
            }
        }
        if (params == null) {
            throw new GgufFormatException(file.path() + ": tensor 'rope_freqs.weight' expected llama3-style RoPE "
                    + "divisors (1, a blend, then a factor), found values no llama3 parameters reproduce");
        }
        double[] guess = params;
        rope.put("rope_type", "llama3");
        rope.put("factor", factor);
        rope.put("low_freq_factor", guess[0]);
        rope.put("high_freq_factor", guess[1]);
        rope.put("original_max_position_embeddings", (int) Math.round(guess[2]));
    }

    /** Metadata keys this project writes beside rope_freqs.weight (llama.cpp ignores them): the HF values. */
    static final String LOW_KEY = "tttv2.rope.llama3.low_freq_factor";
    static final String HIGH_KEY = "tttv2.rope.llama3.high_freq_factor";
    static final String ORIGINAL_KEY = "tttv2.rope.llama3.original_max_position_embeddings";

    /**
     * Parameters to try, in order: those this project wrote, Llama 3.x's published ones, a fit to the blend, and
     * the published factors with other original contexts (with under two blended frequencies the parameters are
     * not determined; any that reproduce every divisor compute the same model).
     */
    private static java.util.List<double[]> candidates(GgufFile file, float[] found, double theta, int rotaryDim,
                                                       double factor) {
        java.util.List<double[]> out = new java.util.ArrayList<>();
        GgufMetadata m = file.metadata();
        if (m.has(LOW_KEY) && m.has(HIGH_KEY) && m.has(ORIGINAL_KEY)) {
            out.add(new double[] {m.optionalNumber(LOW_KEY).orElseThrow(), m.optionalNumber(HIGH_KEY).orElseThrow(),
                    m.optionalNumber(ORIGINAL_KEY).orElseThrow()});
        }
        out.add(new double[] {1, 4, 8192});
        out.add(fitBlend(found, theta, rotaryDim, factor));
        for (int k = 0; k <= 24; k++) {
            out.add(new double[] {1, 4, 1 << k});
        }
        return out;
    }

    /**
     * In the blend, {@code s = original/(wavelen·(high−low)) − low/(high−low)} is linear in 1/wavelen: two blended
     * frequencies give its slope and intercept; with {@code low = 1} those fix {@code high} and {@code original}.
     */
    private static double[] fitBlend(float[] found, double theta, int rotaryDim, double factor) {
        double[] x = new double[2];
        double[] s = new double[2];
        int k = 0;
        for (int i = 0; i < found.length && k < 2; i++) {
            if (found[i] > 1.0001f && found[i] < factor * 0.9999) {
                double freq = 1.0 / Math.pow(theta, 2.0 * i / rotaryDim);
                x[k] = freq / (2 * Math.PI);
                s[k] = (1 / found[i] - 1 / factor) / (1 - 1 / factor);
                k++;
            }
        }
        if (k < 2 || x[0] == x[1]) {
            return null;
        }
        double slope = (s[1] - s[0]) / (x[1] - x[0]);
        double intercept = s[0] - slope * x[0];
        if (intercept >= 0) {
            return null;
        }
        double high = 1 - 1 / intercept;
        double original = slope * (high - 1);
        return new double[] {1, high, Math.round(original)};
    }

    private static boolean matches(float[] found, float[] expected) {
        for (int i = 0; i < found.length; i++) {
            if (Math.abs(found[i] - expected[i]) > 1e-3 * Math.max(1, Math.abs(expected[i]))) {
                return false;
            }
        }
        return true;
    }
}
