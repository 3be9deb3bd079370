package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.TestTensors.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.NativeKernelsTesting;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/**
 * What the tests of the native row ops (NativeOps: NativeNormTest, NativeElementwiseTest, NativeRotaryTest,
 * NativeWidenTest) share: switching the route, operands in the layouts the route takes and the ones it leaves to
 * Java, bit-for-bit comparison, and running a Java kernel until C2 has compiled it.
 */
final class NativeOpsTesting {

    /** Layouts of an F32 operand [rows, n] (rows = a · b for the 3-D ones). */
    enum Layout {
        /** contiguous */
        CONTIGUOUS,
        /** rows n + 5 apart, from element 2 */
        ROWS,
        /** elements 2 apart along a row */
        ELEMENTS,
        /** [a, b, n] contiguous: evenly spaced rows over two dimensions */
        EVEN_3D,
        /** [a, b, n] sliced out of [a, b + 1, n]: rows not evenly spaced (the Java route) */
        UNEVEN_3D,
        /** heap memory (the Java route) */
        HEAP
    }

    private NativeOpsTesting() {
    }

    /** The route's host check: skips only where the CPU cannot run the library; the 16 lanes it reproduces. */
    static void requireRoute() {
        NativeKernelsTesting.requireNativeKernels();
        assertTrue(NativeOps.USABLE, "native ops unusable with " + Lanes.L + " float lanes");
    }

    /** Runs body with the native route on or off, then restores the setting. */
    static void withRoute(boolean on, Runnable body) {
        boolean old = NativeOps.on;
        NativeOps.on = on;
        try {
            body.run();
        } finally {
            NativeOps.on = old;
        }
    }

    /** Runs body on the native route and asserts that it took the route (or not). */
    static void nativeCall(int route, boolean expectTaken, String what, Runnable body) {
        withRoute(true, () -> {
            NativeOps.taken &= ~route;
            body.run();
            assertEquals(expectTaken, (NativeOps.taken & route) != 0,
                    what + ": native route " + (expectTaken ? "not taken" : "taken"));
        });
    }

    /**
     * Values of varied size: mostly uniform in [-2, 2), some rows scaled by 30 or 1e-3, some exact zeros and
     * negative zeros, so sums and products round differently in different orders.
     */
    static float[] values(Random r, int count) {
        float[] v = new float[count];
        float scale = 1f;
        for (int i = 0; i < count; i++) {
            if (i % 37 == 0) {
                scale = switch (r.nextInt(4)) {
                    case 0 -> 30f;
                    case 1 -> 1e-3f;
                    default -> 1f;
                };
            }
            int kind = r.nextInt(64);
            v[i] = kind == 0 ? 0f : kind == 1 ? -0f : (r.nextFloat() * 4 - 2) * scale;
        }
        return v;
    }

    /** An F32 operand [rows, n] of the layout (rows even for the 3-D layouts), holding values(r, rows · n). */
    static Tensor f32(Random r, Layout layout, int rows, int n) {
        Tensor t = switch (layout) {
            case CONTIGUOUS -> Tensor.allocate(Arena.ofAuto(), DType.F32, rows, n);
            case ROWS -> Tensor.allocate(Arena.ofAuto(), DType.F32, rows, n + 5).slice(1, 2, n);
            case ELEMENTS -> Tensor.allocate(Arena.ofAuto(), DType.F32, rows, n, 2).select(2, 1);
            case EVEN_3D -> Tensor.allocate(Arena.ofAuto(), DType.F32, 2, rows / 2, n);
            case UNEVEN_3D -> Tensor.allocate(Arena.ofAuto(), DType.F32, 2, rows / 2 + 1, n).slice(1, 0, rows / 2);
            case HEAP -> Tensor.wrap(MemorySegment.ofArray(new float[rows * n]), DType.F32, rows, n);
        };
        set(t, values(r, rows * n));
        return t;
    }

    /** A fresh F32 tensor of t's layout, shape and values. */
    static Tensor copyOf(Tensor t, Layout layout) {
        int n = t.dim(-1);
        int rows = TensorRows.count(t);
        Tensor c = f32(new Random(0), layout, rows, n);
        set(c, t.toFloatArray());
        return c;
    }

    /** A vector [n] of dtype, contiguous or 3 elements apart from element 1 (strided), holding values. */
    static Tensor vector(Random r, DType dtype, int n, boolean strided) {
        Tensor t = strided ? Tensor.allocate(Arena.ofAuto(), dtype, n + 1, 3).select(1, 0).slice(0, 1, n)
                : Tensor.allocate(Arena.ofAuto(), dtype, n);
        set(t, values(r, n));
        return t;
    }

    /** Equal bits everywhere; fails naming the first element that differs. */
    static void assertSameBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " (bits "
                        + Integer.toHexString(Float.floatToRawIntBits(actual[i])) + " vs "
                        + Integer.toHexString(Float.floatToRawIntBits(expected[i])) + ")");
            }
        }
    }

    /** Every element within abs + rel · |expected| of the float64 value. */
    static void assertClose(double[] expected, float[] actual, double abs, double rel, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = abs + rel * Math.abs(expected[i]);
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                fail(what + ": element " + i + " is " + actual[i] + ", float64 " + expected[i] + ", tolerance " + tol);
            }
        }
    }

    /**
     * Runs a Java kernel (the route off) again and again until its output is expected's bits, for at most 30 s:
     * the interpreter and C1 give other bits where the kernel calls the Vector API's exp, tanh or lane reduction
     * (their fallbacks: Math.exp per lane, lanes added in order), C2 the ones the native route reproduces. Fails
     * if the bits never come, printing the first difference of the last run.
     */
    static void javaReaches(float[] expected, Runnable javaCall, Supplier<float[]> output, String what) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        float[][] last = new float[1][];
        int[] runs = {0};
        withRoute(false, () -> {
            do {
                javaCall.run();
                runs[0]++;
                last[0] = output.get();
                if (Arrays.equals(expected, last[0])) {     // Arrays.equals(float[]) compares bits (NaN aside)
                    return;
                }
            } while (System.nanoTime() < deadline);
        });
        if (!Arrays.equals(expected, last[0])) {
            assertSameBits(expected, last[0], what + " (the Java kernel, after " + runs[0] + " runs)");
        }
    }
}
