package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * One calling thread's route of a matmul with BF16 weights under {@link MatmulPrecision#BF16}, any M and K (the
 * kernel is core-impl/src/main/c/bf16_dot.c): {@link #bind} rounds x [M, K] to BF16 once per call, into this
 * instance's scratch, on the calling thread before the pool splits N; every {@link #run} chunk is then one downcall
 * over its columns, reading the weights in place, plus the bias in Java. Each output is summed in one fixed order
 * whatever M, the panel and the split, so a row's bits depend neither on its batch nor on prefill vs decode.
 *
 * <p>Operands that are not native memory (a heap segment cannot be passed) take {@link Bf16DotModel}'s scalar loops,
 * which compute the same bits slowly. Scratch: BF16 [M, K rounded up to 32], grown when a call needs more.
 */
final class NativeBf16Dot {

    private MemorySegment scratch = MemorySegment.NULL;
    /** The heap route's rounded x [M, Kp]. */
    private short[] heapX = new short[0];

    private boolean heap;
    private Tensor w;
    private Tensor out;
    private long scratchAddress;
    private long wAddress;
    private long wRow;
    private long outAddress;
    private long outRow;
    private final OutputBias bias = new OutputBias();
    private int m;
    private int k;
    private int kp;

    /** Binds one call (operands as {@link MatmulKernel#bind}: x [M, K] F32, w [N, K] BF16) and rounds x. */
    void bind(Tensor x, Tensor w, Tensor bias, Tensor out) {
        MatmulPrecision.requireBf16();
        m = x.dim(0);
        k = x.dim(1);
        kp = (k + Bf16DotModel.CHUNK - 1) / Bf16DotModel.CHUNK * Bf16DotModel.CHUNK;
        this.bias.bind(bias, out);
        heap = !x.base().isNative() || !w.base().isNative() || !out.base().isNative();
        if (heap) {
            this.w = w;
            this.out = out;
            if (heapX.length < m * kp) {
                heapX = new short[m * kp];
            }
            for (int r = 0; r < m; r++) {
                for (int i = 0; i < k; i++) {
                    heapX[r * kp + i] = Bf16DotModel.round(x.getFloat(r, i));
                }
            }
            return;
        }
        long need = 2L * m * kp;
        scratch = NativeScratch.atLeast(scratch, need);
        scratchAddress = scratch.address();
        wAddress = w.base().address() + 2 * w.offset();
        wRow = w.stride(0);
        outAddress = out.base().address() + 4 * out.offset();
        outRow = out.stride(0);
        long xAddress = x.base().address() + 4 * x.offset();
        try {
            NativeKernels.BF16DOT_ROUND.invokeExact(xAddress, x.stride(0), (long) m, (long) k, scratchAddress);
        } catch (Throwable e) {
            throw new IllegalStateException("native rounding of x to BF16 failed", e);
        }
    }

    /** out[r, c] for every row of x and c in [nFrom, nTo): one downcall (or the scalar loops), then the bias. */
    void run(int nFrom, int nTo) {
        if (heap) {
            for (int r = 0; r < m; r++) {
                for (int c = nFrom; c < nTo; c++) {
                    out.setFloat(Bf16DotModel.dot(heapX, r * kp, w, w.offset() + c * w.stride(0), k), r, c);
                }
            }
        } else {
            try {
                NativeKernels.BF16DOT_MATMUL.invokeExact(scratchAddress, (long) m, (long) k, wAddress, wRow,
                        (long) nFrom, (long) nTo, outAddress, outRow);
            } catch (Throwable e) {
                throw new IllegalStateException("native BF16-precision matmul failed", e);
            }
        }
        bias.addTo(m, nFrom, nTo);
    }

    /** Drops the references to the last call's memory. */
    void unbind() {
        bias.unbind();
        w = null;
        out = null;
    }
}
