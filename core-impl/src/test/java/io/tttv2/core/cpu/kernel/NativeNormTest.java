package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.NativeOpsTesting.assertClose;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.assertSameBits;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.f32;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.javaReaches;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.nativeCall;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.requireRoute;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.vector;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.withRoute;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.NativeOpsTesting.Layout;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native rmsNorm (row_ops.c) against a scalar Java model of the Java kernel's order as C2 runs it (16 lanes
 * of fma over the whole vectors, C2's halving lane tree, the tail added in order; inv in double; (x · inv) ·
 * (w + offset)): equal bit for bit on every layout, weight dtype and stride, width with and without a tail, and
 * row chunk; within float tolerance of float64; and equal to the Java kernel itself once C2 has compiled it.
 * Operands the route does not take (heap memory, rows not evenly spaced) run the Java kernel.
 */
class NativeNormTest {

    private static final float EPS = 1e-5f;

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.ROWS, Layout.ELEMENTS, Layout.EVEN_3D}) {
            for (DType wt : new DType[] {DType.F32, DType.BF16, DType.F16}) {
                // widths: under one vector, one, a tail of 1 and of 15, kjv-tiny's 256, 1B's 2048 plus a tail
                for (int h : new int[] {7, 16, 17, 63, 256, 2051}) {
                    all.add(Arguments.of(layout, wt, h, (h + wt.ordinal()) % 2 == 0));
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} weight {1} h={2} strided w={3}")
    @MethodSource("cases")
    void equalsTheScalarModelOfItsOrder(Layout layout, DType wt, int h, boolean stridedW) {
        requireRoute();
        Random r = new Random(h * 31L + wt.ordinal() * 7 + layout.ordinal());
        int rows = 6;
        Tensor x = f32(r, layout, rows, h);
        Tensor w = vector(r, wt, h, stridedW);
        for (float offset : new float[] {0f, 1f}) {
            Tensor out = f32(r, layout, rows, h);
            float[] expected = model(x, w, offset, Order.KERNEL);
            // rows [0, 2) and [2, 6) in two calls, as two workers' chunks
            nativeCall(NativeOps.RMS_NORM, true, "rmsNorm", () -> {
                NormKernels.rmsNorm(x, w, EPS, offset, out, 0, 2);
                NormKernels.rmsNorm(x, w, EPS, offset, out, 2, rows);
            });
            assertSameBits(expected, out.toFloatArray(), layout + " " + wt + " h=" + h + " offset " + offset);
            assertClose(reference(x, w, offset), out.toFloatArray(), 1e-6, 1e-5, "float64");
            // the Java kernel (the fallback), in whatever tier it runs now: within float64's tolerance too
            Tensor javaOut = f32(r, layout, rows, h);
            withRoute(false, () -> NormKernels.rmsNorm(x, w, EPS, offset, javaOut, 0, rows));
            assertClose(reference(x, w, offset), javaOut.toFloatArray(), 1e-6, 1e-5, "Java route, float64");
        }
        // in place
        float[] expected = model(x, w, 0f, Order.KERNEL);
        nativeCall(NativeOps.RMS_NORM, true, "in place", () -> NormKernels.rmsNorm(x, w, EPS, 0f, x, 0, rows));
        assertSameBits(expected, x.toFloatArray(), "in place");
    }

    /** The Java kernel, once compiled by C2, gives the native bits (its interpreter and C1 add lanes in order). */
    @Test
    void theJavaKernelCompiledByC2GivesTheSameBits() {
        requireRoute();
        Random r = new Random(3);
        for (Layout layout : new Layout[] {Layout.CONTIGUOUS, Layout.ELEMENTS}) {
            for (DType wt : new DType[] {DType.BF16, DType.F32}) {
                int rows = 8;
                int h = 2048 + 13;
                Tensor x = f32(r, layout, rows, h);
                Tensor w = vector(r, wt, h, false);
                Tensor out = f32(r, layout, rows, h);
                nativeCall(NativeOps.RMS_NORM, true, "rmsNorm", () -> NormKernels.rmsNorm(x, w, EPS, 1f, out, 0, rows));
                float[] nativeBits = out.toFloatArray();
                javaReaches(nativeBits, () -> NormKernels.rmsNorm(x, w, EPS, 1f, out, 0, rows), out::toFloatArray,
                        layout + " " + wt);
            }
        }
    }

    /** The model is specific: lanes added in order instead of C2's tree do not give the native bits. */
    @Test
    void aChangedOrderIsCaught() {
        requireRoute();
        Random r = new Random(4);
        int rows = 16;
        int h = 2048;
        Tensor x = f32(r, Layout.CONTIGUOUS, rows, h);
        Tensor w = vector(r, DType.BF16, h, false);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, rows, h);
        nativeCall(NativeOps.RMS_NORM, true, "rmsNorm", () -> NormKernels.rmsNorm(x, w, EPS, 0f, out, 0, rows));
        float[] actual = out.toFloatArray();
        assertSameBits(model(x, w, 0f, Order.KERNEL), actual, "the kernel's order");
        float[] inOrder = model(x, w, 0f, Order.LANES_IN_ORDER);
        int differ = 0;
        for (int i = 0; i < actual.length; i++) {
            differ += Float.floatToRawIntBits(inOrder[i]) != Float.floatToRawIntBits(actual[i]) ? 1 : 0;
        }
        assertTrue(differ > 0, "lanes added in order went unnoticed");
    }

    /** Heap memory and rows not evenly spaced take the Java kernel, which still normalises right. */
    @Test
    void operandsTheRouteDoesNotTakeRunInJava() {
        requireRoute();
        Random r = new Random(5);
        for (Layout layout : new Layout[] {Layout.HEAP, Layout.UNEVEN_3D}) {
            Tensor x = f32(r, layout, 4, 100);
            Tensor w = vector(r, DType.BF16, 100, false);
            Tensor out = f32(r, layout, 4, 100);
            nativeCall(NativeOps.RMS_NORM, false, layout.toString(), () -> NormKernels.rmsNorm(x, w, EPS, 0f, out, 0, 4));
            assertClose(reference(x, w, 0f), out.toFloatArray(), 1e-6, 1e-5, layout + " float64");
        }
        // and with the route off, native memory takes the Java kernel too
        Tensor x = f32(r, Layout.CONTIGUOUS, 4, 100);
        Tensor w = vector(r, DType.F32, 100, false);
        Tensor out = f32(r, Layout.CONTIGUOUS, 4, 100);
        withRoute(false, () -> {
            NativeOps.taken = 0;
            NormKernels.rmsNorm(x, w, EPS, 0f, out, 0, 4);
            assertTrue(NativeOps.taken == 0, "route off, yet taken");
        });
        assertClose(reference(x, w, 0f), out.toFloatArray(), 1e-6, 1e-5, "route off float64");
    }

    // ---- the model ----------------------------------------------------------------------------------

    /** The kernel's order, and one the test must tell apart from it. */
    private enum Order { KERNEL, LANES_IN_ORDER }

    /** out [rows, h] row-major, in the order of row_ops.c's header comment on tttv2_rms_norm, in Java scalars. */
    private static float[] model(Tensor x, Tensor w, float offset, Order order) {
        int rows = TensorRows.count(x);
        int h = x.dim(-1);
        float[] xv = x.toFloatArray();
        float[] gain = w.toFloatArray();     // BF16 and F16 to float are exact
        for (int i = 0; i < h; i++) {
            gain[i] += offset;
        }
        boolean unit = TensorRows.innerStride(x) == 1;      // out has x's layout in these tests
        int hv = unit ? h / 16 * 16 : 0;
        float[] out = new float[rows * h];
        for (int row = 0; row < rows; row++) {
            int at = row * h;
            float[] acc = new float[16];
            for (int i = 0; i < hv; i++) {
                acc[i % 16] = Math.fma(xv[at + i], xv[at + i], acc[i % 16]);
            }
            float ss = 0f;
            if (unit && order == Order.KERNEL) {
                for (int half = 8; half >= 1; half /= 2) {
                    for (int l = 0; l < half; l++) {
                        acc[l] += acc[l + half];
                    }
                }
                ss = acc[0];
            } else if (unit) {
                for (int l = 0; l < 16; l++) {
                    ss += acc[l];
                }
            }
            for (int i = hv; i < h; i++) {
                ss += xv[at + i] * xv[at + i];
            }
            float inv = (float) (1.0 / Math.sqrt(ss / h + EPS));
            for (int i = 0; i < h; i++) {
                out[at + i] = xv[at + i] * inv * gain[i];
            }
        }
        return out;
    }

    /** In float64. */
    private static double[] reference(Tensor x, Tensor w, float offset) {
        int rows = TensorRows.count(x);
        int h = x.dim(-1);
        float[] xv = x.toFloatArray();
        float[] wv = w.toFloatArray();
        double[] out = new double[rows * h];
        for (int row = 0; row < rows; row++) {
            double ss = 0;
            for (int i = 0; i < h; i++) {
                ss += (double) xv[row * h + i] * xv[row * h + i];
            }
            double inv = 1 / Math.sqrt(ss / h + EPS);
            for (int i = 0; i < h; i++) {
                out[row * h + i] = xv[row * h + i] * inv * (offset + (double) wv[i]);
            }
        }
        return out;
    }
}
