package io.tttv2.core.cpu;

import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.CopyKernel;
import io.tttv2.core.cpu.kernel.ElementwiseKernels;
import io.tttv2.core.cpu.kernel.ElementwiseKernels.BinaryOp;
import io.tttv2.core.cpu.kernel.EmbeddingKernel;
import io.tttv2.core.cpu.kernel.NormKernels;
import io.tttv2.core.cpu.kernel.RotaryKernel;
import io.tttv2.core.cpu.kernel.UnaryOp;

/**
 * The loop body of one row-wise op call, reused: {@link CpuOps} keeps one per calling thread, binds an
 * op's operands into it, runs it over the rows (inline or on the pool) and clears it. A lambda capturing
 * the operands would be allocated on every call.
 */
final class RowOp implements WorkerPool.RangeBody {

    enum Kind {
        RMS_NORM, LAYER_NORM, SOFTMAX, ROTARY, UNARY, GATED, BINARY, COPY, EMBEDDING
    }

    private Kind kind;
    private Tensor a;
    private Tensor b;
    private Tensor c;
    private Tensor out;
    private float p0;
    private float p1;
    private UnaryOp unary;
    private BinaryOp binary;
    private RotaryStyle style;
    private int[] ints;

    RowOp bind(Kind kind, Tensor a, Tensor b, Tensor c, Tensor out) {
        this.kind = kind;
        this.a = a;
        this.b = b;
        this.c = c;
        this.out = out;
        return this;
    }

    RowOp params(float p0, float p1) {
        this.p0 = p0;
        this.p1 = p1;
        return this;
    }

    RowOp unary(UnaryOp f) {
        this.unary = f;
        return this;
    }

    RowOp binary(BinaryOp f) {
        this.binary = f;
        return this;
    }

    RowOp rotary(RotaryStyle s, int[] positions) {
        this.style = s;
        this.ints = positions;
        return this;
    }

    RowOp ids(int[] ids) {
        this.ints = ids;
        return this;
    }

    /** Drops the references to the last call's operands. */
    void clear() {
        a = b = c = out = null;
        ints = null;
    }

    @Override
    public void run(int from, int to) {
        switch (kind) {
            case RMS_NORM -> NormKernels.rmsNorm(a, b, p0, p1, out, from, to);
            case LAYER_NORM -> NormKernels.layerNorm(a, b, c, p0, out, from, to);
            case SOFTMAX -> ElementwiseKernels.softmax(a, out, from, to);
            case ROTARY -> RotaryKernel.apply(a, b, c, ints, style, out, from, to);
            case UNARY -> ElementwiseKernels.unary(unary, p0, a, out, from, to);
            case GATED -> ElementwiseKernels.gated(unary, a, b, out, from, to);
            case BINARY -> ElementwiseKernels.binary(binary, a, b, out, from, to);
            case COPY -> CopyKernel.copy(a, out, from, to);
            case EMBEDDING -> EmbeddingKernel.gather(a, ints, out, from, to);
        }
    }
}
