package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NormTest {

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String layout : new String[] {"contiguous", "rows", "elements"}) {
            for (DType wt : new DType[] {DType.F32, DType.BF16, DType.F16}) {
                for (int[] s : new int[][] {{1, 1}, {1, 7}, {3, 63}, {2, 65}, {5, 257}, {130, 256}}) {
                    for (int workers : new int[] {1, 2}) {
                        all.add(Arguments.of(layout, wt, s[0], s[1], workers));
                    }
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} weight {1} [{2}, {3}] workers={4}")
    @MethodSource("cases")
    void rmsNormMatchesReference(String layout, DType wt, int rows, int h, int workers) {
        Random r = new Random(rows * 31L + h);
        Ops ops = device(workers).ops();
        Tensor x = TestTensors.f32(r, layout, rows, h);
        Tensor w = random(r, wt, h);
        for (float offset : new float[] {0f, 1f}) {
            double[] expected = rmsNorm(x, w, 1e-5, offset);
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, rows, h);
            ops.rmsNorm(x, w, 1e-5f, offset, out);
            assertClose(expected, out, 1e-6, 1e-5, "rmsNorm offset " + offset);
        }
        // in place
        double[] expected = rmsNorm(x, w, 1e-6, 0f);
        ops.rmsNorm(x, w, 1e-6f, 0f, x);
        assertClose(expected, x, 1e-6, 1e-5, "rmsNorm in place");
    }

    @ParameterizedTest(name = "{0} weight {1} [{2}, {3}] workers={4}")
    @MethodSource("cases")
    void layerNormMatchesReference(String layout, DType wt, int rows, int h, int workers) {
        Random r = new Random(rows * 37L + h);
        Ops ops = device(workers).ops();
        Tensor x = TestTensors.f32(r, layout, rows, h);
        // an offset mean, so that a one-pass variance would lose digits
        TestTensors.set(x, shift(x.toFloatArray(), 30f));
        Tensor w = random(r, wt, h);
        Tensor b = random(r, wt, h);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, rows, h);
        ops.layerNorm(x, w, b, 1e-5f, out);
        assertClose(layerNorm(x, w, b, 1e-5), out, 2e-5, 1e-5, "layerNorm with bias");
        ops.layerNorm(x, w, null, 1e-5f, out);
        assertClose(layerNorm(x, w, null, 1e-5), out, 2e-5, 1e-5, "layerNorm without bias");
    }

    private static float[] shift(float[] v, float by) {
        for (int i = 0; i < v.length; i++) {
            v[i] += by;
        }
        return v;
    }

    static double[] rmsNorm(Tensor x, Tensor w, double eps, double offset) {
        int h = x.dim(-1);
        float[] xv = x.toFloatArray();
        float[] wv = w.toFloatArray();
        double[] out = new double[xv.length];
        for (int row = 0; row < xv.length / h; row++) {
            double ss = 0;
            for (int i = 0; i < h; i++) {
                ss += (double) xv[row * h + i] * xv[row * h + i];
            }
            double inv = 1 / Math.sqrt(ss / h + eps);
            for (int i = 0; i < h; i++) {
                out[row * h + i] = xv[row * h + i] * inv * (offset + wv[i]);
            }
        }
        return out;
    }

    static double[] layerNorm(Tensor x, Tensor w, Tensor b, double eps) {
        int h = x.dim(-1);
        float[] xv = x.toFloatArray();
        float[] wv = w.toFloatArray();
        float[] bv = b == null ? new float[h] : b.toFloatArray();
        double[] out = new double[xv.length];
        for (int row = 0; row < xv.length / h; row++) {
            double mean = 0;
            for (int i = 0; i < h; i++) {
                mean += xv[row * h + i];
            }
            mean /= h;
            double var = 0;
            for (int i = 0; i < h; i++) {
                var += (xv[row * h + i] - mean) * (xv[row * h + i] - mean);
            }
            var /= h;
            for (int i = 0; i < h; i++) {
                out[row * h + i] = (xv[row * h + i] - mean) / Math.sqrt(var + eps) * wv[i] + bv[i];
            }
        }
        return out;
    }
}
