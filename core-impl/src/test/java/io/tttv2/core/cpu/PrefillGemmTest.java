package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.JavaKernelSwitch;
import io.tttv2.core.cpu.kernel.MatmulKernel;
import io.tttv2.core.cpu.kernel.QuantizedGemmSwitch;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The packed prefill GEMM (M ≥ {@link MatmulKernel#GEMM_ROWS}, K ≥ {@link MatmulKernel#GEMM_MIN_K} for float
 * weights, every weight dtype) against the float64
 * reference: every row count over one and two panels of 64 (pairs of x-row vectors and a single one, partial
 * vectors), K over several K blocks with a partial last one, N over whole 12-column tiles and a partial
 * one, with and without bias, on one and two workers; strided x and out, sliced weights; and a column's bits
 * not depending on how the columns are split over the workers. Block-quantised weights take the GEMM only when
 * switched on (their default is the 4×4 route, {@code QuantizedMatmulKernel.GEMM_ROWS}): each test switches it on
 * for the test thread's kernel, whose call covers every worker.
 */
class PrefillGemmTest {

    private static final DType[] DTYPES = {DType.F32, DType.BF16, DType.F16, DType.Q8_0, DType.Q4_0, DType.Q4_K};

    /** w [n, k] of dtype: float dtypes uniform in [-1, 1), the block formats as QuantizedMatmulTest makes them. */
    private static Tensor weight(Random r, DType dtype, int n, int k) {
        return dtype.isQuantized() ? QuantizedMatmulTest.quantized(r, dtype, n, k) : random(r, dtype, n, k);
    }

    /** K over three K blocks (the last partial) for every dtype: whole blocks of the format. */
    private static int longK(DType dtype) {
        return switch (dtype) {
            case F32, BF16, F16 -> MatmulKernel.GEMM_MIN_K + 77;   // K blocks of 512 and a partial one, odd
            case Q8_0, Q4_0 -> 36 * 32;             // 512 + 512 + 128
            default -> 3 * dtype.blockSize();       // whole rows: one K block
        };
    }

    private static double tolerance(Tensor w, int k) {
        double scale = 0;
        for (float v : w.toFloatArray()) {
            scale = Math.max(scale, Math.abs(v));
        }
        // float accumulation over K terms of magnitude ≤ scale (x in [-1, 1)), one lane summed in order
        return scale * (4e-6 * Math.sqrt(k) + 1e-6);
    }

    /** Runs {@code body} with the test thread's kernel of a block format on the GEMM from GEMM_ROWS rows. */
    private static void onGemm(DType dtype, Runnable body) {
        if (!dtype.isQuantized()) {
            body.run();
            return;
        }
        int old = QuantizedGemmSwitch.set(dtype, MatmulKernel.GEMM_ROWS);
        boolean javaOnly = JavaKernelSwitch.set(dtype, true);   // this tests the Java GEMM, not the native kernels
        try {
            body.run();
        } finally {
            QuantizedGemmSwitch.set(dtype, old);
            JavaKernelSwitch.set(dtype, javaOnly);
        }
    }

    static List<Arguments> everyM() {
        List<Arguments> all = new ArrayList<>();
        for (DType dt : DTYPES) {
            for (int m = MatmulKernel.GEMM_ROWS; m <= 70; m++) {
                all.add(Arguments.of(dt, m));
            }
            all.add(Arguments.of(dt, 129));
        }
        return all;
    }

    @ParameterizedTest(name = "{0} M={1}")
    @MethodSource("everyM")
    void everyRowCountAgainstTheReference(DType dtype, int m) {
        onGemm(dtype, () -> everyRowCount(dtype, m));
    }

    private void everyRowCount(DType dtype, int m) {
        Random r = new Random(m * 131L + dtype.ordinal());
        int k = longK(dtype);
        int n = 29;   // two 12-column tiles and a partial one (per worker chunk, more partial tiles)
        Tensor x = random(r, DType.F32, m, k);
        Tensor w = weight(r, dtype, n, k);
        Tensor bias = random(r, DType.BF16, n);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        Ops ops = device(1 + m % 2).ops();
        double tol = tolerance(w, k);
        ops.matmul(x, w, null, out);
        assertClose(MatmulTest.reference(x, w, null), out, tol, 1e-5, dtype + " M=" + m);
        ops.matmul(x, w, bias, out);
        assertClose(MatmulTest.reference(x, w, bias), out, tol, 1e-5, dtype + " with bias, M=" + m);
    }

    static DType[] dtypes() {
        return DTYPES;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    void stridedActivationsAndOutputsAndSlicedWeights(DType dtype) {
        onGemm(dtype, () -> strided(dtype));
    }

    private void strided(DType dtype) {
        Random r = new Random(11 + dtype.ordinal());
        int k = longK(dtype);
        Tensor wAll = weight(r, dtype, 60, k);
        Tensor w = wAll.slice(0, 5, 40);                                 // rows 5..44: starts mid-tensor
        for (int m : new int[] {MatmulKernel.GEMM_ROWS, 45, 80}) {
            Tensor xWide = random(r, DType.F32, m, k + 7);
            Tensor x = xWide.slice(1, 3, k);                             // rows k + 7 apart, 3 floats in
            Tensor outWide = Tensor.allocate(Arena.ofAuto(), DType.F32, m, 44);
            Tensor out = outWide.slice(1, 2, 40);                        // columns 2..41
            device(2).ops().matmul(x, w, null, out);
            assertClose(MatmulTest.reference(x, w, null), out, tolerance(w, k), 1e-5, "strided " + dtype + " M=" + m);
            for (int i = 0; i < m; i++) {
                for (int j : new int[] {0, 1, 42, 43}) {
                    assertEquals(0f, outWide.getFloat(i, j), "column " + j + " outside out, row " + i);
                }
            }
        }
    }

    /** Each output column is summed alone, in one order, whatever chunk of the columns a worker is given. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    void aColumnsBitsDoNotDependOnTheSplit(DType dtype) {
        onGemm(dtype, () -> split(dtype));
    }

    private void split(DType dtype) {
        Random r = new Random(23 + dtype.ordinal());
        int m = 37;
        int k = longK(dtype);
        int n = 100;
        Tensor x = random(r, DType.F32, m, k);
        Tensor w = weight(r, dtype, n, k);
        Tensor serial = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        device(1).ops().matmul(x, w, null, serial);
        for (int split : new int[] {1, 3, 7}) {
            Tensor split2 = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
            device(2).ops().matmul(x, w, null, split2, split);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToRawIntBits(serial.getFloat(i, j)), Float.floatToRawIntBits(split2.getFloat(i, j)),
                            dtype + " split " + split + " row " + i + " column " + j);
                }
            }
        }
    }
}
