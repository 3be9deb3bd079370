package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.JavaKernelSwitch;
import io.tttv2.core.cpu.kernel.MatmulKernel;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatmulTest {

    /** out[m][n] = Σ_k x[m][k]·w[n][k] (+ bias[n]) in float64 over the stored values. */
    static double[] reference(Tensor x, Tensor w, Tensor bias) {
        int m = x.dim(0), k = x.dim(1), n = w.dim(0);
        float[] xv = x.toFloatArray();
        float[] wv = w.toFloatArray();
        float[] bv = bias == null ? null : bias.toFloatArray();
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = bv == null ? 0 : bv[j];
                for (int kk = 0; kk < k; kk++) {
                    s += (double) xv[i * k + kk] * wv[j * k + kk];
                }
                out[i * n + j] = s;
            }
        }
        return out;
    }

    static List<Arguments> shapes() {
        List<Arguments> all = new ArrayList<>();
        int[][] mkn = {{1, 1, 1}, {1, 7, 5}, {1, 63, 9}, {1, 65, 17}, {1, 257, 33}, {2, 64, 8}, {3, 17, 4},
                {4, 65, 7}, {5, 257, 13}, {9, 63, 67}, {13, 130, 40}, {128, 64, 24},
                // the prefill path over several panels of x rows (the last not a multiple of 4), and a long
                // odd K with a scalar rest
                {6, 513, 5}, {70, 600, 9},
                // BF16 small batches in place: groups of 4 rows (and a rest of 1..3), whole vectors of pairs
                // only, an odd K with a scalar rest of pairs, a partial block of w rows; just past the range
                {8, 64, 8}, {12, 1027, 9}, {15, 97, 6}, {16, 2048, 5}, {17, 200, 6},
                // BF16 rows from ShortRowBf16Kernels.MAX_K on, read one row of w at a time, with every rest
                {1, 1031, 9}, {2, 2048, 6},
                // BF16 rows longer than Bf16Matvec.SEQUENTIAL_MAX_K (4 rows of w side by side), with every rest
                {1, 4301, 9}, {3, 4301, 5}, {6, 4301, 7}};
        for (DType dt : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            for (int[] s : mkn) {
                for (int workers : new int[] {1, 2}) {
                    all.add(Arguments.of(dt, s[0], s[1], s[2], workers, false));
                    if (dt == DType.BF16) {
                        // the Java loops too where the native BF16 kernel takes M <= 16
                        all.add(Arguments.of(dt, s[0], s[1], s[2], workers, true));
                    }
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} M={1} K={2} N={3} workers={4} java={5}")
    @MethodSource("shapes")
    void matchesReference(DType dtype, int m, int k, int n, int workers, boolean javaOnly) {
        boolean old = JavaKernelSwitch.set(DType.BF16, javaOnly);
        try {
            matchesReference(dtype, m, k, n, workers);
        } finally {
            JavaKernelSwitch.set(DType.BF16, old);
        }
    }

    private static void matchesReference(DType dtype, int m, int k, int n, int workers) {
        Random r = new Random(m * 1000L + k * 10 + n);
        Ops ops = device(workers).ops();
        Tensor x = random(r, DType.F32, m, k);
        Tensor w = random(r, dtype, n, k);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        ops.matmul(x, w, null, out);
        // float accumulation over K terms of magnitude ≤ 1
        double tol = 2e-6 * Math.sqrt(k) + 1e-6;
        assertClose(reference(x, w, null), out, tol, 1e-6, "matmul " + dtype);

        Tensor bias = random(r, DType.F32, n);
        ops.matmul(x, w, bias, out);
        assertClose(reference(x, w, bias), out, tol, 1e-6, "matmul with bias " + dtype);
    }

    @ParameterizedTest(name = "workers={0}")
    @MethodSource("workerCounts")
    void stridedRowsOfXAndOutAndSlicedWeights(int workers) {
        Random r = new Random(7);
        Ops ops = device(workers).ops();
        Tensor x = TestTensors.rowStrided(r, 6, 65);                  // rows 68 apart
        Tensor wAll = random(r, DType.BF16, 40, 65);
        Tensor w = wAll.slice(0, 8, 24);                                // rows 8..31 of a fused weight
        Tensor outWide = Tensor.allocate(Arena.ofAuto(), DType.F32, 6, 30);
        Tensor out = outWide.slice(1, 3, 24);                           // columns 3..26
        ops.matmul(x, w, null, out);
        assertClose(reference(x, w, null), out, 2e-5, 1e-6, "strided matmul");
        for (int i = 0; i < 6; i++) {
            assertTrue(outWide.getFloat(i, 0) == 0 && outWide.getFloat(i, 29) == 0, "columns outside out untouched");
        }
    }

    /**
     * A row of x gets the same bits from BF16 weights whether it is multiplied alone (the decode loop) or
     * with up to {@link MatmulKernel#SMALL_BATCH_ROWS} - 1 others (4-row blocks and their rest): a served
     * sequence's logits do not depend on what else is in its batch.
     */
    @ParameterizedTest(name = "workers={0} K={1} java={2}")
    @MethodSource("workersAndRowLengths")
    void smallBatchRowsEqualTheRowAloneBitForBit(int workers, int k, boolean javaOnly) {
        boolean old = JavaKernelSwitch.set(DType.BF16, javaOnly);
        try {
            smallBatchRowsEqualTheRowAlone(workers, k);
        } finally {
            JavaKernelSwitch.set(DType.BF16, old);
        }
    }

    private static void smallBatchRowsEqualTheRowAlone(int workers, int k) {
        Random r = new Random(3);
        Ops ops = device(workers).ops();
        // k: groups of 4 vectors of pairs, whole vectors past them, a scalar rest of pairs and an odd last element;
        // short rows (one row of w at a time alone) and long ones (4 rows of w side by side alone)
        int n = 70;    // a partial block of w rows
        Tensor w = random(r, DType.BF16, n, k);
        Tensor bias = random(r, DType.F32, n);
        for (int m = 2; m <= MatmulKernel.SMALL_BATCH_ROWS; m++) {
            Tensor x = random(r, DType.F32, m, k);
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
            ops.matmul(x, w, bias, out);
            for (int i = 0; i < m; i++) {
                Tensor alone = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, n);
                ops.matmul(x.slice(0, i, 1), w, bias, alone);
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToRawIntBits(alone.getFloat(0, j)), Float.floatToRawIntBits(out.getFloat(i, j)),
                            "M=" + m + " row " + i + " column " + j);
                }
            }
        }
    }

    static List<Arguments> workersAndRowLengths() {
        List<Arguments> all = new ArrayList<>();
        for (int workers : workerCounts()) {
            // 256 and 704: kjv-tiny's rows (short, whole vectors only); 2048: the 1B's (whole groups of 4 only)
            for (int k : new int[] {256, 301, 704, 1027, 2048, 4301}) {
                all.add(Arguments.of(workers, k, true));
                all.add(Arguments.of(workers, k, false));     // the native kernel where bound and K % 32 == 0
            }
        }
        return all;
    }

    static int[] workerCounts() {
        return new int[] {1, 2};
    }

    @Test
    void rejectsMismatchedInnerDimensionNamingTheShapes() {
        Ops ops = device(1).ops();
        Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 8);
        Tensor w = Tensor.allocate(Arena.ofAuto(), DType.BF16, 4, 7);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ops.matmul(x, w, null, out));
        assertTrue(e.getMessage().contains("matmul: w") && e.getMessage().contains("[4, 7]"), e.getMessage());
    }
}
