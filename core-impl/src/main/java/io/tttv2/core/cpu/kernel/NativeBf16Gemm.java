package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;

/**
 * One calling thread's native route of a BF16 prefill matmul ({@code bf16_gemm.c}, bound by {@link NativeKernels}):
 * {@code out[M, N] = x[M, K] · w[N, K]ᵀ (+ bias[N])}, x F32 never rounded, each worker chunk of output columns one
 * downcall. Order per output (bf16_gemm.c): {@code acc = fma(x[r, k], w[c, k], acc)} for k = 0 .. K-1, then
 * {@code + bias[c]}, whatever M, the chunk or the tiling; the Java {@link PrefillGemm} sums in the same order.
 *
 * <p>Nothing is allocated per call: the kernel packs the weights into a per-thread buffer of its own (64 KiB of
 * native thread-local storage), and the operands pass as addresses.
 */
final class NativeBf16Gemm {

    private long xAddress;
    private long xRow;
    private long m;
    private long k;
    private long wAddress;
    private long wRow;
    private long biasAddress;
    private long outAddress;
    private long outRow;

    /**
     * Binds one call (operands as {@link MatmulKernel#bind}, w BF16); false, binding nothing, if x, w or out is
     * not native memory, or the bias is not a contiguous F32 vector in native memory, so the Java route runs it.
     */
    boolean bind(Tensor x, Tensor w, Tensor bias, Tensor out) {
        if (!x.base().isNative() || !w.base().isNative() || !out.base().isNative()) {
            return false;
        }
        if (bias != null && (bias.dtype() != DType.F32 || bias.stride(0) != 1 || !bias.base().isNative())) {
            return false;
        }
        xAddress = x.base().address() + 4 * x.offset();
        xRow = x.stride(0);
        m = x.dim(0);
        k = x.dim(1);
        wAddress = w.base().address() + TensorRows.byteOffset(w, 0);
        wRow = w.stride(0);
        biasAddress = bias == null ? 0L : bias.base().address() + 4 * bias.offset();
        outAddress = out.base().address() + 4 * out.offset();
        outRow = out.stride(0);
        return true;
    }

    /** out[r, c] for every row of x and c in [nFrom, nTo): one downcall (bias included). */
    void run(int nFrom, int nTo) {
        try {
            NativeKernels.BF16_GEMM.invokeExact(xAddress, xRow, m, k, wAddress, wRow, (long) nFrom, (long) nTo,
                    biasAddress, outAddress, outRow);
        } catch (Throwable e) {
            throw new IllegalStateException("native BF16 GEMM failed", e);
        }
    }
}
