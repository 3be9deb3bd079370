package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * One calling thread's native route of a BF16 matmul with few rows of x ({@link MatmulKernel} with M ≤
 * {@link MatmulKernel#SMALL_BATCH_ROWS}; the kernel is core-impl/src/main/c/bf16_rows.c): {@link #bind} puts x
 * [M, K] in the kernel's split order once per call, into this instance's scratch, on the calling thread before
 * the pool splits N; every {@link #run} chunk is then one downcall over its columns, reading the weights in
 * place, plus the bias in Java. The kernel sums each output in one fixed order whatever M and the split, so a
 * row's bits do not depend on its batch.
 *
 * <p>Scratch: F32 [M, K] (at most 16 × K floats), grown when a call needs more, never per call otherwise.
 */
final class NativeBf16Matmul {

    /** The kernel's chunk of K: rows whose length is not a multiple of it take the Java loops. */
    static final int CHUNK = 32;

    private MemorySegment scratch = MemorySegment.NULL;

    private long scratchAddress;
    private long wAddress;
    private long wRow;
    private long outAddress;
    private long outRow;
    private final OutputBias bias = new OutputBias();
    private int m;
    private int k;

    /**
     * Binds one call (operands as {@link MatmulKernel#bind}: x [M, K] F32, w [N, K] BF16, unit stride along K)
     * and splits x; false, binding nothing, if K is not a multiple of {@link #CHUNK} or x, w or out is not native
     * memory (a heap segment cannot be passed), so the Java loops run that call.
     */
    boolean bind(Tensor x, Tensor w, Tensor bias, Tensor out) {
        int rows = x.dim(0);
        int cols = x.dim(1);
        if (cols % CHUNK != 0 || !x.base().isNative() || !w.base().isNative() || !out.base().isNative()) {
            return false;
        }
        m = rows;
        k = cols;
        long need = 4L * m * k;
        scratch = NativeScratch.atLeast(scratch, need);
        scratchAddress = scratch.address();
        wAddress = w.base().address() + 2 * w.offset();
        wRow = w.stride(0);
        outAddress = out.base().address() + 4 * out.offset();
        outRow = out.stride(0);
        this.bias.bind(bias, out);
        long xAddress = x.base().address() + 4 * x.offset();
        try {
            NativeKernels.BF16_SPLIT.invokeExact(xAddress, x.stride(0), (long) m, (long) k, scratchAddress);
        } catch (Throwable e) {
            throw new IllegalStateException("native split of x failed", e);
        }
        return true;
    }

    /** out[r, c] for every row of x and c in [nFrom, nTo): one downcall, then the bias. */
    void run(int nFrom, int nTo) {
        try {
            NativeKernels.BF16_ROWS.invokeExact(scratchAddress, (long) m, (long) k, wAddress, wRow, (long) nFrom,
                    (long) nTo, outAddress, outRow);
        } catch (Throwable e) {
            throw new IllegalStateException("native BF16 matmul failed", e);
        }
        bias.addTo(m, nFrom, nTo);
    }

    /** Drops the references to the last call's memory. */
    void unbind() {
        bias.unbind();
    }
}
