package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * The bias of one native matmul call, added in Java after the kernel wrote a chunk of out [M, N] F32:
 * {@code out[r, c] += bias[c]} for every row and each column of the chunk, the bias in any float dtype and stride.
 * The native kernels leave it out, so each output's order is the kernel's sum, then + bias.
 */
final class OutputBias {

    private MemorySegment out;
    private long outOffset;     // elements to out[0, 0]
    private long outRow;        // elements from one row of out to the next
    private MemorySegment bias;
    private DType biasType;
    private long biasOffset;
    private long biasStride;

    /** Binds one call's out [M, N] F32 and bias [N] (null: none). */
    void bind(Tensor bias, Tensor out) {
        this.out = out.base();
        this.outOffset = out.offset();
        this.outRow = out.stride(0);
        this.bias = bias == null ? null : bias.base();
        if (bias != null) {
            biasType = bias.dtype();
            biasOffset = bias.offset();
            biasStride = bias.stride(0);
        }
    }

    /** Adds the bias to out[r, c] for r in [0, m) and c in [nFrom, nTo); nothing without a bias. */
    void addTo(int m, int nFrom, int nTo) {
        if (bias == null) {
            return;
        }
        for (int r = 0; r < m; r++) {
            for (int c = nFrom; c < nTo; c++) {
                long at = (outOffset + r * outRow + c) * 4;
                float v = out.get(Lanes.F32_LE, at) + Lanes.read(biasType, bias, biasOffset + c * biasStride);
                out.set(Lanes.F32_LE, at, v);
            }
        }
    }

    /** Drops the references to the last call's memory. */
    void unbind() {
        out = null;
        bias = null;
    }
}
