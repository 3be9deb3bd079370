package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;

/**
 * For tests outside this package: routes the calling thread's kernel of a block-quantised format through the packed
 * prefill GEMM from {@code rows} rows of x (its default is never; see {@link QuantizedMatmulKernel#GEMM_ROWS}). The
 * calling thread's kernel is the loop body of its whole call, so this covers every worker of it.
 */
public final class QuantizedGemmSwitch {

    private QuantizedGemmSwitch() {
    }

    /** Sets the calling thread's kernel of {@code dtype} to take the GEMM from {@code rows} rows; returns the old value. */
    public static int set(DType dtype, int rows) {
        QuantizedMatmulKernel kernel = QuantizedMatmuls.forThisThread(dtype);
        int old = kernel.gemmRows;
        kernel.gemmRows = rows;
        return old;
    }
}
