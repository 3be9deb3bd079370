package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;

/**
 * For tests outside this package: makes the calling thread's Q8_0/Q4_0 kernel, or its BF16 matmuls (few rows of
 * x and the prefill GEMM alike), run their Java loops even where the native kernels are bound, so the tests of the
 * Java kernels (the fallback) keep covering them. The calling thread's kernel is the loop body of its whole call, so this covers
 * every worker of it.
 */
public final class JavaKernelSwitch {

    private JavaKernelSwitch() {
    }

    /** Sets whether the calling thread's kernel of {@code dtype} runs Java only; returns the old setting. */
    public static boolean set(DType dtype, boolean javaOnly) {
        if (dtype == DType.BF16) {
            return MatmulKernel.javaOnBf16(javaOnly);       // every BF16 call of this thread (in place and GEMM)
        }
        QuantizedMatmulKernel kernel = QuantizedMatmuls.forThisThread(dtype);
        boolean old;
        if (kernel instanceof NativeQ8_0MatmulKernel q8) {
            old = !q8.nativeRoute;
            q8.nativeRoute = !javaOnly;
        } else if (kernel instanceof NativeQ4_0MatmulKernel q4) {
            old = !q4.nativeRoute;
            q4.nativeRoute = !javaOnly;
        } else {
            old = true;          // Java kernels only: nothing to switch
        }
        return old;
    }
}
