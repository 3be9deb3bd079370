package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.NativeOpsTesting.assertSameBits;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.copyOf;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.f32;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.javaReaches;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.nativeCall;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.requireRoute;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.withRoute;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.ElementwiseKernels.BinaryOp;
import io.tttv2.core.cpu.kernel.NativeOpsTesting.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native element-wise ops (row_ops.c) against the Java kernels of ElementwiseKernels. ADD and MUL are one
 * rounding per element in every tier, so the Java kernel (route off) is the reference bit for bit on every
 * layout, width and chunk, in place too. The SiLU and tanh-GELU gates call exp / tanh, which the Java kernel
 * evaluates with the JDK's libjsvml once C2 has compiled it (Math.exp / Math.tanh per lane before): the Java
 * kernel is run until C2's bits come, which must be the native ones; the native result is also held to float64.
 * Rows the gate route does not take (a tail, element strides, heap memory, other functions) run in Java.
 */
class NativeElementwiseTest {

    static List<Arguments> binaryCases() {
        List<Arguments> all = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.ROWS, Layout.ELEMENTS, Layout.EVEN_3D}) {
                for (int n : new int[] {1, 15, 16, 33, 704, 2048 + 7}) {
                    all.add(Arguments.of(op, layout, n));
                }
            }
        }
        return all;
    }

    /** a op b, with b of another layout than a and out (unit and strided operands mixed), and in place. */
    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("binaryCases")
    void binaryEqualsTheJavaKernel(BinaryOp op, Layout layout, int n) {
        requireRoute();
        Random r = new Random(n * 13L + op.ordinal() * 5 + layout.ordinal());
        int rows = 4;
        Tensor a = f32(r, layout, rows, n);
        for (Layout bl : new Layout[] {layout, Layout.CONTIGUOUS, Layout.ELEMENTS}) {
            Tensor b = f32(r, bl, rows, n);
            Tensor javaOut = f32(r, layout, rows, n);
            Tensor nativeOut = f32(r, layout, rows, n);
            withRoute(false, () -> ElementwiseKernels.binary(op, a, b, javaOut, 0, rows));
            nativeCall(NativeOps.BINARY, true, "binary", () -> {
                ElementwiseKernels.binary(op, a, b, nativeOut, 0, 1);
                ElementwiseKernels.binary(op, a, b, nativeOut, 1, rows);
            });
            assertSameBits(javaOut.toFloatArray(), nativeOut.toFloatArray(), op + " " + layout + " b " + bl);
            // in place: out is a
            Tensor javaA = copyOf(a, layout);
            Tensor nativeA = copyOf(a, layout);
            withRoute(false, () -> ElementwiseKernels.binary(op, javaA, b, javaA, 0, rows));
            nativeCall(NativeOps.BINARY, true, "binary in place",
                    () -> ElementwiseKernels.binary(op, nativeA, b, nativeA, 0, rows));
            assertSameBits(javaA.toFloatArray(), nativeA.toFloatArray(), op + " in place " + layout + " b " + bl);
        }
    }

    static List<Arguments> gatedCases() {
        List<Arguments> all = new ArrayList<>();
        for (UnaryOp f : new UnaryOp[] {UnaryOp.SILU, UnaryOp.GELU_TANH}) {
            for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.ROWS, Layout.EVEN_3D}) {
                // one vector; kjv-tiny's intermediate 704; 1B's 8192
                for (int n : new int[] {16, 704, 8192}) {
                    all.add(Arguments.of(f, layout, n));
                }
            }
        }
        return all;
    }

    /** The gate's native bits are the Java kernel's once C2 compiled it; and near float64. */
    @ParameterizedTest(name = "{0} {1} n={2}")
    @MethodSource("gatedCases")
    void gatedEqualsTheJavaKernelCompiledByC2(UnaryOp f, Layout layout, int n) {
        requireRoute();
        Random r = new Random(n * 17L + f.ordinal() * 3 + layout.ordinal());
        int rows = 4;
        Tensor gate = f32(r, layout, rows, n);
        Tensor up = f32(r, layout == Layout.ROWS ? Layout.CONTIGUOUS : layout, rows, n);
        Tensor out = f32(r, layout, rows, n);
        nativeCall(NativeOps.GATED, true, "gated", () -> {
            ElementwiseKernels.gated(f, gate, up, out, 0, 3);
            ElementwiseKernels.gated(f, gate, up, out, 3, rows);
        });
        float[] nativeBits = out.toFloatArray();
        assertNearFloat64(f, gate, up, nativeBits, f + " " + layout);
        // the Java kernel (the fallback), in whatever tier it runs now: near float64 too
        Tensor javaOut = f32(r, layout, rows, n);
        withRoute(false, () -> ElementwiseKernels.gated(f, gate, up, javaOut, 0, rows));
        assertNearFloat64(f, gate, up, javaOut.toFloatArray(), f + " " + layout + " Java route");
        javaReaches(nativeBits, () -> ElementwiseKernels.gated(f, gate, up, out, 0, rows), out::toFloatArray,
                f + " " + layout + " n=" + n);
        // in place (out is gate)
        Tensor inPlace = copyOf(gate, layout);
        nativeCall(NativeOps.GATED, true, "gated in place", () -> ElementwiseKernels.gated(f, inPlace, up, inPlace, 0, rows));
        assertSameBits(nativeBits, inPlace.toFloatArray(), f + " in place");
    }

    /**
     * Rows with a tail (the Java tail is evaluated in double), element strides, heap memory, rows not evenly
     * spaced and ReLU run in Java, and are right.
     */
    @Test
    void gatesTheRouteDoesNotTakeRunInJava() {
        requireRoute();
        Random r = new Random(9);
        Object[][] cases = {
            {UnaryOp.SILU, Layout.CONTIGUOUS, 65}, {UnaryOp.GELU_TANH, Layout.CONTIGUOUS, 700},
            {UnaryOp.SILU, Layout.ELEMENTS, 64}, {UnaryOp.SILU, Layout.HEAP, 64}, {UnaryOp.SILU, Layout.UNEVEN_3D, 64},
            {UnaryOp.RELU, Layout.CONTIGUOUS, 64}, {UnaryOp.GELU, Layout.CONTIGUOUS, 64},
        };
        for (Object[] c : cases) {
            UnaryOp f = (UnaryOp) c[0];
            Layout layout = (Layout) c[1];
            int n = (int) c[2];
            Tensor gate = f32(r, layout, 4, n);
            Tensor up = f32(r, layout, 4, n);
            Tensor out = f32(r, layout, 4, n);
            nativeCall(NativeOps.GATED, false, f + " " + layout + " n=" + n,
                    () -> ElementwiseKernels.gated(f, gate, up, out, 0, 4));
            assertNearFloat64(f, gate, up, out.toFloatArray(), f + " " + layout);
        }
    }

    /** Heap memory and rows not evenly spaced: ADD runs in Java. */
    @Test
    void binaryOperandsTheRouteDoesNotTakeRunInJava() {
        requireRoute();
        Random r = new Random(10);
        for (Layout layout : new Layout[] {Layout.HEAP, Layout.UNEVEN_3D}) {
            Tensor a = f32(r, layout, 4, 40);
            Tensor b = f32(r, Layout.CONTIGUOUS, 4, 40);
            Tensor out = f32(r, Layout.CONTIGUOUS, 4, 40);
            nativeCall(NativeOps.BINARY, false, layout.toString(),
                    () -> ElementwiseKernels.binary(BinaryOp.ADD, a, b, out, 0, 4));
            float[] av = a.toFloatArray();
            float[] bv = b.toFloatArray();
            float[] ov = out.toFloatArray();
            for (int i = 0; i < av.length; i++) {
                assertTrue(Float.floatToRawIntBits(av[i] + bv[i]) == Float.floatToRawIntBits(ov[i]), layout + " " + i);
            }
        }
    }

    /**
     * Within 1e-6 + 1e-5 · (|f(g) · u| + |g · u|) of float64: the float formulas lose digits against |g · u| where
     * f(g) is small next to g (tanh-GELU's 1 + tanh cancels for negative g).
     */
    private static void assertNearFloat64(UnaryOp f, Tensor gate, Tensor up, float[] actual, String what) {
        double[] expected = reference(f, gate, up);
        float[] g = gate.toFloatArray();
        float[] u = up.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            double tol = 1e-6 + 1e-5 * (Math.abs(expected[i]) + Math.abs((double) g[i] * u[i]));
            assertTrue(Math.abs(actual[i] - expected[i]) <= tol,
                    what + ": element " + i + " is " + actual[i] + ", float64 " + expected[i] + ", tolerance " + tol);
        }
    }

    /** f(gate) · up in float64. */
    private static double[] reference(UnaryOp f, Tensor gate, Tensor up) {
        float[] g = gate.toFloatArray();
        float[] u = up.toFloatArray();
        double[] out = new double[g.length];
        for (int i = 0; i < g.length; i++) {
            double x = g[i];
            double y = switch (f) {
                case SILU -> x / (1 + Math.exp(-x));
                case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
                case RELU -> Math.max(x, 0);
                case GELU -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
                default -> throw new IllegalArgumentException(f.toString());
            };
            out[i] = y * u[i];
        }
        return out;
    }
}
