package com.acme.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The module against a plain float64 RMSNorm, over weight dtypes, Gemma's (1 + w) offset, prefill and decode
 * shapes and in-place use. Tolerance: a few float32 roundings of values of order 1 (the reference keeps every
 * step in double; the module rounds x, the scale and the product to float).
 */
class RmsFastNormTest {

    private static final double TOLERANCE = 2e-6;

    /** HF LlamaRMSNorm in double: x / sqrt(mean(x²) + eps) · (offset + w). */
    static double[] reference(float[] x, float[] w, int dim, double eps, double offset) {
        double[] out = new double[x.length];
        for (int r = 0; r < x.length / dim; r++) {
            double sum = 0;
            for (int i = 0; i < dim; i++) {
                sum += (double) x[r * dim + i] * x[r * dim + i];
            }
            double inverse = 1 / Math.sqrt(sum / dim + eps);
            for (int i = 0; i < dim; i++) {
                out[r * dim + i] = x[r * dim + i] * inverse * (offset + w[i]);
            }
        }
        return out;
    }

    private static Weights weights(Tensor weight) {
        return new Weights() {
            @Override
            public Tensor get(String name) {
                if (!name.equals("weight")) {
                    throw new IllegalArgumentException("no weight " + name);
                }
                return weight;
            }

            @Override
            public boolean contains(String name) {
                return name.equals("weight");
            }

            @Override
            public Weights scoped(String prefix) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @ParameterizedTest(name = "{0} weight, offset {1}, {2} rows, in place {3}")
    @CsvSource({"F32, 0, 7, false", "BF16, 0, 7, false", "F16, 0, 1, false", "F32, 1, 3, true", "BF16, 1, 1, true"})
    void matchesTheFloat64Reference(DType weightType, float offset, int rows, boolean inPlace) {
        int dim = 96;
        float eps = 1e-6f;
        Random random = new Random(42);
        float[] xs = new float[rows * dim];
        float[] ws = new float[dim];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (random.nextGaussian() * 3);
        }
        Tensor weight = Tensor.allocate(Arena.ofAuto(), weightType, dim);
        for (int i = 0; i < dim; i++) {
            weight.setFloat((float) (0.5 + random.nextGaussian() * 0.1), i);
            ws[i] = weight.getFloat(i);     // as stored: BF16 and F16 round the weight
        }
        Norm norm = new RmsFastNormFactory().create(new NormSpec(dim, NormSpec.NormKind.RMS, eps, offset, false),
                weights(weight), null);

        Tensor x = Tensor.of(xs, rows, dim);
        Tensor out = inPlace ? x : Tensor.allocate(Arena.ofAuto(), DType.F32, rows, dim);
        if (rows == 1) {
            norm.decode(x, out);
        } else {
            norm.prefill(x, out);
        }
        double[] expected = reference(xs, ws, dim, eps, offset);
        float[] found = out.toFloatArray();
        double worst = 0;
        for (int i = 0; i < found.length; i++) {
            worst = Math.max(worst, Math.abs(found[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
        }
        assertTrue(worst <= TOLERANCE, "max relative error " + worst + " > " + TOLERANCE);
        assertEquals(RmsFastNormFactory.NAME, norm.candidate());
    }

    @ParameterizedTest
    @CsvSource({"LAYER, false", "RMS, true"})
    void refusesWhatItDoesNotImplement(NormSpec.NormKind kind, boolean bias) {
        Tensor weight = Tensor.of(new float[8], 8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RmsFastNormFactory()
                .create(new NormSpec(8, kind, 1e-6f, 0, bias), weights(weight), null));
        assertTrue(e.getMessage().startsWith("acme/norm/rms-fast builds RMS norms without bias"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"16", "4"})
    void aWeightOfTheWrongLengthIsNamed(int length) {
        Tensor weight = Tensor.of(new float[length], length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RmsFastNormFactory()
                .create(NormSpec.rms(8, 1e-6f), weights(weight), null));
        assertEquals("acme/norm/rms-fast: weight 'weight' has shape [" + length + "] F32, expected [8] F32, BF16 or F16", e.getMessage());
    }
}
