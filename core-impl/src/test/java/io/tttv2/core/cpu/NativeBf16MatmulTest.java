package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.NativeKernelsTesting.requireNativeKernels;
import static io.tttv2.core.cpu.NativeKernelsTesting.scaleOneChunkPerRow;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.MatmulKernel;
import io.tttv2.core.cpu.kernel.NativeKernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The native BF16 kernel for M ≤ 16 (core-impl/src/main/c/bf16_rows.c) against a scalar Java model of its
 * documented order of summation (16 lanes; per chunk of 32, lane l takes the even value 2l then the odd value
 * 2l + 1 by fma; then a fixed tree over the lanes): equal bit for bit. Also: a row's bits do not depend on M or on
 * the column split; the float64 product stays within a float tolerance; and the model does catch a changed order.
 */
class NativeBf16MatmulTest {

    static List<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (int m = 1; m <= MatmulKernel.SMALL_BATCH_ROWS; m++) {
            // one chunk; three; kjv-tiny's 704 (22 chunks); 67 chunks (a long row, not a power of two)
            for (int k : new int[] {32, 96, 704, 32 * 67}) {
                all.add(Arguments.of(m, k, (m + k) % 2 == 0));
            }
        }
        return all;
    }

    /**
     * N = 13 (3 groups of 4 rows of w and a rest of 1), x rows strided (k + 7 floats apart, from offset 3), w rows
     * strided and starting mid-tensor (row 2 of a [N + 2, K + 32] tensor), out a column slice of a wider tensor;
     * on 1 and 2 workers.
     */
    @ParameterizedTest(name = "M={0} K={1} bias={2}")
    @MethodSource("cases")
    void equalsTheScalarModelOfItsOrder(int m, int k, boolean withBias) {
        requireNativeKernels();
        Random r = new Random(m * 31L + k + (withBias ? 7 : 0));
        int n = 13;
        Tensor x = random(r, DType.F32, m, k + 7).slice(1, 3, k);
        scaleOneChunkPerRow(x, r);
        Tensor w = random(r, DType.BF16, n + 2, k + 32).slice(0, 2, n).slice(1, 0, k);
        Tensor bias = withBias ? random(r, DType.BF16, n) : null;
        Tensor outWide = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n + 5);
        Tensor out = outWide.slice(1, 2, n);
        float[] expected = model(x, w, bias, Order.KERNEL);
        double[] exact = MatmulTest.reference(x, w, bias);
        for (int workers : new int[] {1, 2}) {
            device(workers).ops().matmul(x, w, bias, out);
            float[] actual = out.toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                        "M=" + m + " K=" + k + " out[" + i / n + ", " + i % n + "]: " + expected[i] + " vs " + actual[i]);
            }
            // and the float32 sums stay near the float64 product (terms up to |x| 40 * |w| 1)
            for (int i = 0; i < exact.length; i++) {
                double bound = 1e-5 * Math.sqrt(k) * (1 + Math.abs(exact[i])) * 40;
                assertTrue(Math.abs(exact[i] - actual[i]) <= bound,
                        "out " + i + ": " + actual[i] + " vs float64 " + exact[i] + ", bound " + bound);
            }
            for (int i = 0; i < m; i++) {
                assertEquals(0f, outWide.getFloat(i, 0), "columns outside out untouched");
                assertEquals(0f, outWide.getFloat(i, n + 4), "columns outside out untouched");
            }
        }
    }

    /**
     * A row's result does not depend on M or on how the columns are split: each row of a 16-row call, computed
     * alone (M = 1), in an 8-row call and in a 3-row call, and the columns computed in uneven chunks, are the same
     * bits (every register block shape, 1..4 rows of x by 1..4 rows of w, sums in the one order).
     */
    @Test
    void aRowsBitsDoNotDependOnMOrTheSplit() {
        requireNativeKernels();
        Random r = new Random(5);
        int m = 16;
        int k = 2048;
        int n = 37;
        Tensor x = random(r, DType.F32, m, k);
        Tensor w = random(r, DType.BF16, n, k);
        Tensor all = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        device(2).ops().matmul(x, w, null, all);
        float[] whole = all.toFloatArray();

        Tensor one = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, n);
        Tensor three = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, n);
        Tensor eight = Tensor.allocate(Arena.ofAuto(), DType.F32, 8, n);
        for (int row = 0; row < m; row++) {
            device(1).ops().matmul(x.slice(0, row, 1), w, null, one);
            assertRowEquals(whole, row, one.toFloatArray(), 0, n, "row " + row + " alone");
            if (row + 3 <= m) {
                device(2).ops().matmul(x.slice(0, row, 3), w, null, three);
                assertRowEquals(whole, row, three.toFloatArray(), 0, n, "row " + row + " of 3");
            }
        }
        for (int from : new int[] {0, 5, 8}) {
            device(2).ops().matmul(x.slice(0, from, 8), w, null, eight);
            for (int i = 0; i < 8; i++) {
                assertRowEquals(whole, from + i, eight.toFloatArray(), i, n, "row " + (from + i) + " of 8");
            }
        }
        // the kernel called directly over uneven column chunks (not whole groups of 4 rows of w)
        MatmulKernel kernel = new MatmulKernel();
        Tensor split = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        kernel.bind(x, w, null, split);
        kernel.run(0, 5);
        kernel.run(5, 6);
        kernel.run(6, 29);
        kernel.run(29, n);
        kernel.unbind();
        float[] chunks = split.toFloatArray();
        for (int i = 0; i < whole.length; i++) {
            assertEquals(Float.floatToIntBits(whole[i]), Float.floatToIntBits(chunks[i]), "split, out " + i);
        }
    }

    /**
     * The model is specific: with the even and odd terms of a lane taken the other way round, or the lanes added
     * in plain order, it no longer matches the kernel (so the bit-exact test above would catch a kernel that
     * changed its order).
     */
    @Test
    void aChangedOrderIsCaught() {
        requireNativeKernels();
        Random r = new Random(8);
        int m = 4;
        int k = 32 * 67;
        int n = 9;
        Tensor x = random(r, DType.F32, m, k);
        scaleOneChunkPerRow(x, r);
        Tensor w = random(r, DType.BF16, n, k);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        device(1).ops().matmul(x, w, null, out);
        float[] actual = out.toFloatArray();
        assertEquals(0, differences(model(x, w, null, Order.KERNEL), actual), "the kernel's own order");
        assertTrue(differences(model(x, w, null, Order.ODD_FIRST), actual) > 0, "odd term first went unnoticed");
        assertTrue(differences(model(x, w, null, Order.LANES_IN_ORDER), actual) > 0, "lanes in order went unnoticed");
    }

    /** A heap x cannot be passed to native code: that call takes the Java loops, and still multiplies right. */
    @Test
    void heapMemoryTakesTheJavaLoops() {
        Random r = new Random(11);
        int k = 64;
        Tensor w = random(r, DType.BF16, 6, k);
        float[] values = new float[2 * k];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextFloat() * 2 - 1;
        }
        Tensor x = Tensor.wrap(MemorySegment.ofArray(values), DType.F32, 2, k);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 6);
        device(1).ops().matmul(x, w, null, out);
        TestTensors.assertClose(MatmulTest.reference(x, w, null), out, 1e-5, 1e-6, "heap x");
    }

    // ---- the model ----------------------------------------------------------------------------------

    /** The kernel's order, and two others the test must tell apart from it. */
    private enum Order { KERNEL, ODD_FIRST, LANES_IN_ORDER }

    /** out[M, N] summed in the given order (Order.KERNEL: bf16_rows.c's header comment), in Java scalars. */
    private static float[] model(Tensor x, Tensor w, Tensor bias, Order order) {
        int m = x.dim(0), k = x.dim(1), n = w.dim(0);
        float[] xv = x.toFloatArray();
        float[] wv = w.toFloatArray();        // bf16 to float is exact
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < n; c++) {
                float[] acc = new float[16];
                for (int chunk = 0; chunk < k / 32; chunk++) {
                    for (int l = 0; l < 16; l++) {
                        int even = chunk * 32 + 2 * l;
                        int odd = even + 1;
                        if (order == Order.ODD_FIRST) {
                            acc[l] = Math.fma(wv[c * k + even], xv[i * k + even],
                                    Math.fma(wv[c * k + odd], xv[i * k + odd], acc[l]));
                        } else {
                            acc[l] = Math.fma(wv[c * k + odd], xv[i * k + odd],
                                    Math.fma(wv[c * k + even], xv[i * k + even], acc[l]));
                        }
                    }
                }
                float v;
                if (order == Order.LANES_IN_ORDER) {
                    v = 0f;
                    for (int l = 0; l < 16; l++) {
                        v += acc[l];
                    }
                } else {
                    float[] s8 = new float[8];
                    for (int l = 0; l < 8; l++) {
                        s8[l] = acc[l] + acc[l + 8];
                    }
                    float[] s4 = new float[4];
                    for (int l = 0; l < 4; l++) {
                        s4[l] = s8[l] + s8[l + 4];
                    }
                    v = (s4[0] + s4[2]) + (s4[1] + s4[3]);
                }
                if (bias != null) {
                    v += bias.getFloat(c);
                }
                out[i * n + c] = v;
            }
        }
        return out;
    }

    private static int differences(float[] a, float[] b) {
        int count = 0;
        for (int i = 0; i < a.length; i++) {
            count += Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i]) ? 1 : 0;
        }
        return count;
    }

    private static void assertRowEquals(float[] whole, int row, float[] part, int partRow, int n, String what) {
        for (int c = 0; c < n; c++) {
            assertEquals(Float.floatToIntBits(whole[row * n + c]), Float.floatToIntBits(part[partRow * n + c]),
                    what + ", column " + c);
        }
    }
}
