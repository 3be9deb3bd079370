package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.Erf;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ElementwiseTest {

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String layout : new String[] {"contiguous", "rows", "elements"}) {
            for (int[] s : new int[][] {{1, 1}, {1, 7}, {3, 63}, {2, 65}, {4, 257}, {24, 704}}) {
                for (int workers : new int[] {1, 2}) {
                    all.add(Arguments.of(layout, s[0], s[1], workers));
                }
            }
        }
        return all;
    }

    /** erf by composite Simpson integration of 2/√π·exp(−t²) over [0, x]: slow, plainly correct. */
    static double erfReference(double x) {
        return erfReference(x, 20_000);
    }

    /** With n intervals the error is below (|x|/180)·(|x|/n)⁴·14: under 1e-9 for n = 1000, |x| ≤ 6. */
    static double erfReference(double x, int n) {
        double h = x / n;
        double s = 1 + Math.exp(-x * x);
        for (int i = 1; i < n; i++) {
            double t = i * h;
            s += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
        }
        return s * h / 3 * 2 / Math.sqrt(Math.PI);
    }

    static double activation(Activation act, double x) {
        return switch (act) {
            case SILU -> x / (1 + Math.exp(-x));
            case GELU -> 0.5 * x * (1 + erfReference(x / Math.sqrt(2), 1000));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case RELU -> Math.max(x, 0);
        };
    }

    static double[] map(Tensor t, DoubleUnaryOperator f) {
        double[] d = TestTensors.doubles(t);
        for (int i = 0; i < d.length; i++) {
            d[i] = f.applyAsDouble(d[i]);
        }
        return d;
    }

    static Tensor scaled(Tensor t, float by) {
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            v[i] *= by;
        }
        TestTensors.set(t, v);
        return t;
    }

    @Test
    void erfIsPreciseTo1e10() {
        for (double x = -7; x <= 7; x += 0.01) {
            double expected = Math.abs(x) > 5.5 ? Math.signum(x) * (1 - erfcAsymptotic(Math.abs(x))) : erfReference(x);
            double err = Math.abs(Erf.erf(x) - expected);
            if (err > 1e-10) {
                throw new AssertionError("erf(" + x + ") = " + Erf.erf(x) + ", expected " + expected);
            }
        }
    }

    /** erfc(x) ≈ exp(−x²)/(x√π)·(1 − 1/(2x²) + 3/(4x⁴)), for large x only. */
    private static double erfcAsymptotic(double x) {
        double x2 = x * x;
        return Math.exp(-x2) / (x * Math.sqrt(Math.PI)) * (1 - 1 / (2 * x2) + 3 / (4 * x2 * x2));
    }

    @ParameterizedTest(name = "{0} [{1}, {2}] workers={3}")
    @MethodSource("cases")
    void activationsMatchReference(String layout, int rows, int n, int workers) {
        Ops ops = device(workers).ops();
        for (Activation act : Activation.values()) {
            Random r = new Random(rows * 11L + n + act.ordinal());
            Tensor x = scaled(TestTensors.f32(r, layout, rows, n), 8f);   // [-8, 8): both tails
            double[] expected = map(x, v -> activation(act, v));
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, rows, n);
            ops.activation(act, x, out);
            assertClose(expected, out, 1e-6, 1e-6, act.toString());

            Tensor up = TestTensors.f32(r, layout, rows, n);
            double[] gated = map(x, v -> activation(act, v));
            float[] upv = up.toFloatArray();
            for (int i = 0; i < gated.length; i++) {
                gated[i] *= upv[i];
            }
            ops.gatedActivation(act, x, up, x);   // in place into gate
            assertClose(gated, x, 1e-6, 1e-6, "gated " + act);
        }
    }

    @ParameterizedTest(name = "{0} [{1}, {2}] workers={3}")
    @MethodSource("cases")
    void arithmeticMatchesReference(String layout, int rows, int n, int workers) {
        Ops ops = device(workers).ops();
        Random r = new Random(rows * 13L + n);
        Tensor a = TestTensors.f32(r, layout, rows, n);
        Tensor b = TestTensors.f32(r, layout, rows, n);
        double[] av = TestTensors.doubles(a);
        double[] bv = TestTensors.doubles(b);
        double[] sum = new double[av.length];
        double[] product = new double[av.length];
        for (int i = 0; i < av.length; i++) {
            sum[i] = av[i] + bv[i];
            product[i] = av[i] * bv[i];
        }
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, rows, n);
        ops.add(a, b, out);
        assertClose(sum, out, 1e-7, 1e-7, "add");
        ops.mul(a, b, out);
        assertClose(product, out, 1e-7, 1e-7, "mul");
        ops.scale(a, -2.5f, out);
        assertClose(map(a, v -> v * -2.5), out, 1e-7, 1e-7, "scale");
        Tensor big = scaled(a, 100f);   // a itself, scaled
        ops.softcap(big, 30f, out);
        assertClose(map(big, v -> 30 * Math.tanh(v / 30)), out, 1e-5, 1e-6, "softcap");
        double[] bigv = TestTensors.doubles(big);
        ops.add(big, b, big);
        assertClose(addArrays(bigv, bv), big, 1e-5, 1e-7, "add in place");
    }

    private static double[] addArrays(double[] x, double[] y) {
        double[] s = new double[x.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = x[i] + y[i];
        }
        return s;
    }

    @ParameterizedTest(name = "{0} [{1}, {2}] workers={3}")
    @MethodSource("cases")
    void softmaxMatchesReference(String layout, int rows, int n, int workers) {
        Ops ops = device(workers).ops();
        Random r = new Random(rows * 17L + n);
        Tensor x = scaled(TestTensors.f32(r, layout, rows, n), 40f);   // large logits: needs the max shift
        float[] xv = x.toFloatArray();
        double[] expected = new double[xv.length];
        for (int row = 0; row < rows; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, xv[row * n + i]);
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += Math.exp(xv[row * n + i] - max);
            }
            for (int i = 0; i < n; i++) {
                expected[row * n + i] = Math.exp(xv[row * n + i] - max) / sum;
            }
        }
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, rows, n);
        ops.softmax(x, out);
        assertClose(expected, out, 1e-7, 1e-5, "softmax");
        ops.softmax(x, x);
        assertClose(expected, x, 1e-7, 1e-5, "softmax in place");
    }

    @Test
    void rejectsDifferentShapes() {
        Ops ops = device(1).ops();
        Tensor a = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 3);
        Tensor b = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, 2);
        assertThrows(IllegalArgumentException.class, () -> ops.add(a, b, a));
        assertThrows(IllegalArgumentException.class, () -> ops.softcap(a, 0f, a));
    }
}
