package io.tttv2.testing.reference;

import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.RotaryStyle;

/**
 * Rotary position embedding as HF's {@code apply_rotary_pos_emb} with the tables of
 * {@code LlamaRotaryEmbedding}, recomputed from the spec (never from the module's own tables):
 *
 * <pre>
 * inv_freq  = ROPE_INIT_FUNCTIONS[rope_type](spec)      in double, then held as HF's buffer (float32, model dtype)
 * angle     = position · inv_freq[i]                    a float32 product, as HF's float32 matmul
 * cos, sin  = cos(angle) · attention_factor, sin(angle) · attention_factor
 * HALF:        y[i] = x[i]·cos − x[i+h]·sin,   y[i+h] = x[i+h]·cos + x[i]·sin      (h = rotaryDim / 2)
 * INTERLEAVED: y[2i] = x[2i]·cos − x[2i+1]·sin, y[2i+1] = x[2i+1]·cos + x[2i]·sin
 * </pre>
 *
 * Elements past {@code rotaryDim} (partial rotary) pass through unchanged.
 */
public final class RotaryReference {

    private final RotarySpec spec;
    private final double attentionFactor;

    public RotaryReference(RotarySpec spec) {
        this.spec = spec;
        this.attentionFactor = RopeInverseFrequencies.attentionFactor(spec);
        RopeInverseFrequencies.of(spec, 1);     // fails now, naming the type, if the rope type has no reference
    }

    public RotarySpec spec() {
        return spec;
    }

    /** x [T, heads, headDim] of one sequence at positions {@code start .. start+T-1}. */
    public double[] prefill(double[] x, int tokens, int heads, int start) {
        int[] positions = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            positions[t] = start + t;
        }
        return apply(x, heads, positions);
    }

    /** x [B, heads, headDim], row b at {@code positions[b]}. */
    public double[] decode(double[] x, int heads, int[] positions) {
        return apply(x, heads, positions);
    }

    /** x [rows, heads, headDim], row r at {@code positions[r]}. */
    public double[] apply(double[] x, int heads, int[] positions) {
        int headDim = spec.headDim();
        int half = spec.rotaryDim() / 2;
        if (x.length != positions.length * heads * headDim) {
            throw new IllegalArgumentException("rotary reference: input of " + x.length + " elements, expected "
                    + positions.length + " x " + heads + " x " + headDim);
        }
        int longest = 0;
        for (int p : positions) {
            longest = Math.max(longest, p + 1);
        }
        double[] invFreq = RopeInverseFrequencies.of(spec, longest);
        double[] y = x.clone();
        for (int r = 0; r < positions.length; r++) {
            for (int i = 0; i < half; i++) {
                float angle = (float) positions[r] * RopeInverseFrequencies.asStored(invFreq[i], spec.frequencyDType());
                double cos = Math.cos(angle) * attentionFactor;
                double sin = Math.sin(angle) * attentionFactor;
                for (int h = 0; h < heads; h++) {
                    int head = (r * heads + h) * headDim;
                    int a = head + (spec.style() == RotaryStyle.HALF ? i : 2 * i);
                    int b = head + (spec.style() == RotaryStyle.HALF ? i + half : 2 * i + 1);
                    y[a] = x[a] * cos - x[b] * sin;
                    y[b] = x[b] * cos + x[a] * sin;
                }
            }
        }
        return y;
    }
}
