package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;

/** This thread's matmul kernel for each block-quantised weight format: one type per format. */
public final class QuantizedMatmuls {

    private static final ThreadLocal<Q8_0MatmulKernel> Q8_0 = ThreadLocal.withInitial(Q8_0MatmulKernel::new);
    private static final ThreadLocal<Q4_0MatmulKernel> Q4_0 = ThreadLocal.withInitial(Q4_0MatmulKernel::new);
    private static final ThreadLocal<KQuantMatmulKernel> Q4_K =
            ThreadLocal.withInitial(() -> new KQuantMatmulKernel(DType.Q4_K));
    private static final ThreadLocal<KQuantMatmulKernel> Q5_K =
            ThreadLocal.withInitial(() -> new KQuantMatmulKernel(DType.Q5_K));
    private static final ThreadLocal<KQuantMatmulKernel> Q6_K =
            ThreadLocal.withInitial(() -> new KQuantMatmulKernel(DType.Q6_K));

    private QuantizedMatmuls() {
    }

    /** The calling thread's kernel for weights of {@code dtype}. */
    public static QuantizedMatmulKernel forThisThread(DType dtype) {
        return switch (dtype) {
            case Q8_0 -> Q8_0.get();
            case Q4_0 -> Q4_0.get();
            case Q4_K -> Q4_K.get();
            case Q5_K -> Q5_K.get();
            case Q6_K -> Q6_K.get();
            case F32, BF16, F16, I32, I64 -> throw new IllegalArgumentException(dtype + " is not block-quantised");
        };
    }
}
