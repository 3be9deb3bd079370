package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * One calling thread's native route of a Q8_0 or Q4_0 matmul ({@link NativeKernels}): {@link #bind} quantises x
 * [M, K] once per call, per block of 32, with an F32 scale and round to nearest, into this instance's scratch, on
 * the calling thread before the pool splits N; then every {@link #run} chunk is one downcall over its columns,
 * reading the weights' GGUF blocks in place, plus the bias in Java. Q4_0 takes x as int8 (amax / 127; its
 * weights' own error is 16 times larger); Q8_0 as int16 (amax / 32767), since int8 x doubled its error.
 *
 * <p>Scratch per call, 2.125 K bytes per row of x (int8_rows.h): Q4_0 q int8 [M, K], a per-block lane correction
 * int32 [M, K/32, 8], scales F32 [M, K/32]; Q8_0 q int16 [M, K], scales F32 [M, K/32]. Grown when a call needs
 * more, never per call otherwise.
 */
final class NativeInt8Matmul {

    private final MethodHandle matmul;
    private final boolean int16;
    private MemorySegment scratch = MemorySegment.NULL;

    private long scratchAddress;
    private long wAddress;
    private long wRowBytes;
    private long outAddress;
    private long outRow;
    private final OutputBias bias = new OutputBias();
    private int m;
    private int k;

    NativeInt8Matmul(DType dtype) {
        this.matmul = switch (dtype) {
            case Q8_0 -> NativeKernels.Q8_0;
            case Q4_0 -> NativeKernels.Q4_0;
            default -> throw new IllegalArgumentException("no native int8 kernel for " + dtype);
        };
        this.int16 = dtype == DType.Q8_0;
    }

    /**
     * Binds one call (operands as {@link QuantizedMatmulKernel#bind}) and quantises x; false, binding nothing, if
     * x, w or out is not native memory (a heap segment cannot be passed), so the Java kernel runs that call.
     */
    boolean bind(Tensor x, Tensor w, Tensor bias, Tensor out) {
        if (!x.base().isNative() || !w.base().isNative() || !out.base().isNative()) {
            return false;
        }
        m = x.dim(0);
        k = x.dim(1);
        long need = 2L * m * k + 4L * m * (k / 32);
        scratch = NativeScratch.atLeast(scratch, need);
        scratchAddress = scratch.address();
        wAddress = w.base().address() + TensorRows.byteOffset(w, 0);
        wRowBytes = w.dtype().bytesFor(w.stride(0));
        outAddress = out.base().address() + 4 * out.offset();
        outRow = out.stride(0);
        this.bias.bind(bias, out);
        long xAddress = x.base().address() + 4 * x.offset();
        try {
            if (int16) {
                NativeKernels.QUANTIZE16.invokeExact(xAddress, x.stride(0), (long) m, (long) k, scratchAddress);
            } else {
                // 8: what the kernel adds to a Q4_0 weight (its nibble is the value + 8)
                NativeKernels.QUANTIZE.invokeExact(xAddress, x.stride(0), (long) m, (long) k, 8,
                        scratchAddress);
            }
        } catch (Throwable e) {
            throw new IllegalStateException("native quantisation of x failed", e);
        }
        return true;
    }

    /** out[r, c] for every row of x and c in [nFrom, nTo): one downcall, then the bias. */
    void run(int nFrom, int nTo) {
        try {
            matmul.invokeExact(scratchAddress, (long) m, (long) k, wAddress, wRowBytes, (long) nFrom, (long) nTo,
                    outAddress, outRow);
        } catch (Throwable e) {
            throw new IllegalStateException("native int8 matmul failed", e);
        }
        bias.addTo(m, nFrom, nTo);
    }

    /** Drops the references to the last call's memory. */
    void unbind() {
        bias.unbind();
    }
}
