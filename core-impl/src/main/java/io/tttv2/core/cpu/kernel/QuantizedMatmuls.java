package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import java.util.function.Supplier;

/** This thread's matmul kernel for each block-quantised weight format: one type per format. */
public final class QuantizedMatmuls {

    // the native int8 kernels where the CPU and the build allow them (NativeKernels), the Java ones otherwise
    private static final ThreadLocal<Q8_0MatmulKernel> Q8_0 = ThreadLocal.withInitial(
            NativeKernels.AVAILABLE ? NativeQ8_0MatmulKernel::new : Q8_0MatmulKernel::new);
    private static final ThreadLocal<Q4_0MatmulKernel> Q4_0 = ThreadLocal.withInitial(
            NativeKernels.AVAILABLE ? NativeQ4_0MatmulKernel::new : Q4_0MatmulKernel::new);
    private static final ThreadLocal<QuantizedMatmulKernel> Q4_K =
            ThreadLocal.withInitial(() -> kQuant(DType.Q4_K, Q4_KMatmulKernel::new));
    private static final ThreadLocal<QuantizedMatmulKernel> Q5_K =
            ThreadLocal.withInitial(() -> kQuant(DType.Q5_K, Q5_KMatmulKernel::new));
    private static final ThreadLocal<QuantizedMatmulKernel> Q6_K =
            ThreadLocal.withInitial(() -> kQuant(DType.Q6_K, Q6_KMatmulKernel::new));

    private QuantizedMatmuls() {
    }

    /**
     * The in-place K-quant kernel where vectors are at most 16 floats (every x86 and NEON shape: a vector then
     * lies in one Q6_K sub-block of 16), the codec's scalar dequantisation otherwise.
     */
    private static QuantizedMatmulKernel kQuant(DType dtype, Supplier<QuantizedMatmulKernel> inPlace) {
        return Lanes.L <= 16 ? inPlace.get() : new KQuantMatmulKernel(dtype);
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
