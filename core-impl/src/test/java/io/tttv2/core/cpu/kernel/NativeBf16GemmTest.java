package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.NativeKernelsTesting.requireNativeKernels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The native BF16 prefill GEMM ({@code bf16_gemm.c}, through {@link MatmulKernel} with M &gt; 16) against a scalar
 * Java model of its documented order, written here: per output {@code acc = fma(x[r, k], w[c, k], acc)} for k in
 * order from +0, then {@code + bias[c]}; equal bit for bit, whatever M (tails of the 8-row blocks, past the
 * 128-row blocks), K (tails of the 512 K blocks and of the 32-value transposes), N (panels of 32, of at most 16)
 * and the split of the columns into chunks. A second check bounds the error against a float64 product, a third
 * pins the order on values where any other order gives another result. Skipped only where the CPU cannot execute
 * the library ({@link NativeKernels#HOST_LIMIT}); where it can, a library that did not load fails.
 */
class NativeBf16GemmTest {

    /** x [M, K] with rows K + 7 apart (a view 3 values in), as a strided activation. */
    private static Tensor x(Arena arena, Random r, int m, int k) {
        Tensor t = Tensor.allocate(arena, DType.F32, m, k + 7).slice(1, 3, k);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                t.setFloat(r.nextFloat() * 2 - 1, i, j);
            }
        }
        return t;
    }

    private static Tensor w(Arena arena, Random r, int n, int k) {
        Tensor t = Tensor.allocate(arena, DType.BF16, n, k);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                t.setFloat((r.nextFloat() * 2 - 1) / (float) Math.sqrt(k), i, j);
            }
        }
        return t;
    }

    private static Tensor bias(Arena arena, Random r, int n) {
        Tensor t = Tensor.allocate(arena, DType.F32, n);
        for (int i = 0; i < n; i++) {
            t.setFloat(r.nextFloat() - 0.5f, i);
        }
        return t;
    }

    /** out [M, N] with rows N + 5 apart, 2 values in, filled with NaN so a missed output shows. */
    private static Tensor out(Arena arena, int m, int n) {
        Tensor t = Tensor.allocate(arena, DType.F32, m, n + 5).slice(1, 2, n);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                t.setFloat(Float.NaN, i, j);
            }
        }
        return t;
    }

    /** The documented order, one scalar fma per k. */
    private static float model(Tensor x, Tensor w, Tensor bias, int r, int c) {
        float acc = 0f;
        for (int k = 0; k < x.dim(1); k++) {
            acc = Math.fma(x.getFloat(r, k), w.getFloat(c, k), acc);
        }
        return bias == null ? acc : acc + bias.getFloat(c);
    }

    /** Runs the bound kernel's columns in the chunks that end at {@code cuts} (then n), as pool workers would. */
    private static void runChunks(MatmulKernel kernel, int n, int... cuts) {
        int from = 0;
        for (int cut : cuts) {
            kernel.run(from, cut);
            from = cut;
        }
        kernel.run(from, n);
    }

    @ParameterizedTest(name = "M={0} K={1} N={2} bias={3}")
    @CsvSource({
        "17, 64, 48, false",       // the smallest M it takes; one K block; one full panel and one of 16
        "20, 33, 37, true",        // K: one 32-value transpose and a tail of 1; N: a panel of 5
        "64, 600, 70, true",       // K: a block of 512 and a partial one; 8 whole 8-row blocks; N: 2 panels and 6
        "131, 1030, 100, false",   // M past a 128-row block; K: 2 blocks and a tail of 6
        "25, 7, 20, true",         // K shorter than one transpose: scalar widening only
    })
    void equalsTheScalarModelOfItsOrderForEveryChunking(int m, int k, int n, boolean withBias) {
        requireNativeKernels();
        Random r = new Random(m * 31L + k * 7L + n);
        try (Arena arena = Arena.ofConfined()) {
            Tensor x = x(arena, r, m, k);
            Tensor w = w(arena, r, n, k);
            Tensor b = withBias ? bias(arena, r, n) : null;
            float[][] expected = new float[m][n];
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < n; c++) {
                    expected[i][c] = model(x, w, b, i, c);
                }
            }
            int[][] splits = {{}, {4}, {n / 2 / 4 * 4}, {4, 8, 36 < n ? 36 : n}, {n - 4}};
            for (int[] cuts : splits) {
                Tensor out = out(arena, m, n);
                MatmulKernel kernel = new MatmulKernel();
                kernel.bind(x, w, b, out);
                assertTrue(kernel.runsNative(), "M = " + m + " BF16 should take the native GEMM");
                runChunks(kernel, n, cuts);
                kernel.unbind();
                for (int i = 0; i < m; i++) {
                    for (int c = 0; c < n; c++) {
                        assertEquals(Float.floatToRawIntBits(expected[i][c]), Float.floatToRawIntBits(out.getFloat(i, c)),
                                "out[" + i + ", " + c + "] with chunks ending at " + java.util.Arrays.toString(cuts));
                    }
                }
            }
        }
    }

    @Test
    void isWithinFloatRoundingOfTheFloat64Product() {
        requireNativeKernels();
        Random r = new Random(5);
        int m = 40, k = 1500, n = 64;
        try (Arena arena = Arena.ofConfined()) {
            Tensor x = x(arena, r, m, k);
            Tensor w = w(arena, r, n, k);
            Tensor b = bias(arena, r, n);
            Tensor out = out(arena, m, n);
            MatmulKernel kernel = new MatmulKernel();
            kernel.bind(x, w, b, out);
            runChunks(kernel, n, 24);
            kernel.unbind();
            double worst = 0;
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < n; c++) {
                    double sum = b.getFloat(c);
                    double magnitude = 0;
                    for (int j = 0; j < k; j++) {
                        double p = (double) x.getFloat(i, j) * w.getFloat(c, j);
                        sum += p;
                        magnitude += Math.abs(p);
                    }
                    // a sequential float sum of K terms: error at most about K · 2^-24 of the terms' magnitude
                    double bound = magnitude * k * 0x1p-24 + 1e-6;
                    double err = Math.abs(out.getFloat(i, c) - sum);
                    assertTrue(err <= bound, "out[" + i + ", " + c + "] = " + out.getFloat(i, c) + ", float64 " + sum);
                    worst = Math.max(worst, err / (magnitude + 1e-30));
                }
            }
            assertTrue(worst > 0, "a float GEMM over 1,500 terms that matches float64 exactly is not computing in float");
        }
    }

    /**
     * x = 1 and w = 2^24 at k = 5, 1 at k = 600 (the second K block), -2^24 at k = 900, 0 elsewhere: in order,
     * 2^24 + 1 rounds back to 2^24 and the sum ends at 0; summing K blocks apart, in lanes, pairwise or from the
     * other end gives 1. Every output is pinned to 0.
     */
    @Test
    void sumsEachOutputInOrderOverK() {
        requireNativeKernels();
        int m = 30, k = 1000, n = 40;
        try (Arena arena = Arena.ofConfined()) {
            Tensor x = Tensor.allocate(arena, DType.F32, m, k);
            Tensor w = Tensor.allocate(arena, DType.BF16, n, k);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < k; j++) {
                    x.setFloat(1f, i, j);
                }
            }
            for (int c = 0; c < n; c++) {
                w.setFloat(0x1p24f, c, 5);
                w.setFloat(1f, c, 600);
                w.setFloat(-0x1p24f, c, 900);
            }
            Tensor out = out(arena, m, n);
            MatmulKernel kernel = new MatmulKernel();
            kernel.bind(x, w, null, out);
            runChunks(kernel, n, 12);
            kernel.unbind();
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < n; c++) {
                    assertEquals(0f, out.getFloat(i, c), "out[" + i + ", " + c + "]: not summed in order over k");
                }
            }
        }
    }

    /** The Java PrefillGemm documents the same order: from 16 rows and K ≥ GEMM_MIN_K both give the same bits. */
    @Test
    void equalsTheJavaPrefillGemmBitForBit() {
        requireNativeKernels();
        Random r = new Random(9);
        int m = 45, k = MatmulKernel.GEMM_MIN_K + 77, n = 52;
        try (Arena arena = Arena.ofConfined()) {
            Tensor x = x(arena, r, m, k);
            Tensor w = w(arena, r, n, k);
            Tensor b = bias(arena, r, n);
            Tensor nativeOut = out(arena, m, n);
            Tensor javaOut = out(arena, m, n);
            MatmulKernel kernel = new MatmulKernel();
            kernel.bind(x, w, b, nativeOut);
            runChunks(kernel, n, 28);
            kernel.unbind();
            MatmulKernel java = new MatmulKernel();
            java.nativeRoute = false;
            java.bind(x, w, b, javaOut);
            assertTrue(kernel.runsNative() && !java.runsNative());
            runChunks(java, n, 28);
            java.unbind();
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < n; c++) {
                    assertEquals(Float.floatToRawIntBits(javaOut.getFloat(i, c)), Float.floatToRawIntBits(nativeOut.getFloat(i, c)),
                            "out[" + i + ", " + c + "]");
                }
            }
        }
    }

    /**
     * The Java routes the native GEMM replaces for BF16 past the small batches (the 4×4 blocks for K &lt; 1024, the
     * packed PrefillGemm above) are still the fallback (-Dtttv2.kernels.native=false, other CPUs): within float
     * rounding of the float64 product, on every machine.
     */
    @ParameterizedTest(name = "K={0}")
    @CsvSource({"256", "1100"})
    void theJavaRoutesStayCorrect(int k) {
        Random r = new Random(k);
        int m = 33, n = 44;
        try (Arena arena = Arena.ofConfined()) {
            Tensor x = x(arena, r, m, k);
            Tensor w = w(arena, r, n, k);
            Tensor b = bias(arena, r, n);
            Tensor out = out(arena, m, n);
            MatmulKernel java = new MatmulKernel();
            java.nativeRoute = false;
            java.bind(x, w, b, out);
            assertTrue(!java.runsNative());
            runChunks(java, n, 20);
            java.unbind();
            for (int i = 0; i < m; i++) {
                for (int c = 0; c < n; c++) {
                    double sum = b.getFloat(c);
                    double magnitude = 0;
                    for (int j = 0; j < k; j++) {
                        double p = (double) x.getFloat(i, j) * w.getFloat(c, j);
                        sum += p;
                        magnitude += Math.abs(p);
                    }
                    assertEquals(sum, out.getFloat(i, c), magnitude * k * 0x1p-24 + 1e-6, "out[" + i + ", " + c + "]");
                }
            }
        }
    }
}
