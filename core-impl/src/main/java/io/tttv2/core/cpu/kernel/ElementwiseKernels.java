package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.EXP;
import static jdk.incubator.vector.VectorOperators.TANH;

import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Element-wise ops on F32 tensors of one shape, row by row over the last dimension (see {@link TensorRows}),
 * so strided views work; rows whose operands all have unit inner stride take the vector path, one loop
 * per function (GELU's erf is evaluated per element in double). The output may be one of the inputs:
 * every element is read before it is written. Vector loops are written out in the method that runs the
 * rows, not in small helpers: a helper compiled on its own can stay in C1 code, which boxes every
 * vector, well after its caller reached C2.
 */
public final class ElementwiseKernels {

    /** Element-wise functions of two arguments. */
    public enum BinaryOp {
        ADD,
        MUL
    }

    private static final int L = Lanes.L;

    private ElementwiseKernels() {
    }

    /** {@code out = a op b} for rows {@code [from, to)}. */
    public static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, int from, int to) {
        if (NativeOps.binary(op, a, b, out, from, to)) {
            return;
        }
        int n = TensorRows.width(out);
        MemorySegment as = a.base();
        MemorySegment bs = b.base();
        MemorySegment os = out.base();
        long a1 = TensorRows.innerStride(a);
        long b1 = TensorRows.innerStride(b);
        long o1 = TensorRows.innerStride(out);
        int nv = a1 == 1 && b1 == 1 && o1 == 1 ? F.loopBound(n) : 0;
        for (int row = from; row < to; row++) {
            long aa = TensorRows.offset(a, row);
            long ba = TensorRows.offset(b, row);
            long oa = TensorRows.offset(out, row);
            if (op == BinaryOp.ADD) {
                for (int i = 0; i < nv; i += L) {
                    FloatVector x = FloatVector.fromMemorySegment(F, as, (aa + i) * 4, LE);
                    FloatVector y = FloatVector.fromMemorySegment(F, bs, (ba + i) * 4, LE);
                    x.add(y).intoMemorySegment(os, (oa + i) * 4, LE);
                }
            } else {
                for (int i = 0; i < nv; i += L) {
                    FloatVector x = FloatVector.fromMemorySegment(F, as, (aa + i) * 4, LE);
                    FloatVector y = FloatVector.fromMemorySegment(F, bs, (ba + i) * 4, LE);
                    x.mul(y).intoMemorySegment(os, (oa + i) * 4, LE);
                }
            }
            for (int i = nv; i < n; i++) {
                float x = as.get(Lanes.F32_LE, (aa + i * a1) * 4);
                float y = bs.get(Lanes.F32_LE, (ba + i * b1) * 4);
                os.set(Lanes.F32_LE, (oa + i * o1) * 4, op == BinaryOp.ADD ? x + y : x * y);
            }
        }
    }

    /** {@code out = f(x)} for rows {@code [from, to)}. */
    public static void unary(UnaryOp f, float param, Tensor x, Tensor out, int from, int to) {
        int n = TensorRows.width(out);
        MemorySegment xs = x.base();
        MemorySegment os = out.base();
        long x1 = TensorRows.innerStride(x);
        long o1 = TensorRows.innerStride(out);
        boolean unit = x1 == 1 && o1 == 1;
        for (int row = from; row < to; row++) {
            long xa = TensorRows.offset(x, row);
            long oa = TensorRows.offset(out, row);
            int nv = unit ? F.loopBound(n) : 0;
            switch (f) {
                case SILU -> {
                    for (int i = 0; i < nv; i += L) {
                        FloatVector v = FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE);
                        v.div(v.neg().lanewise(EXP).add(1f)).intoMemorySegment(os, (oa + i) * 4, LE);
                    }
                }
                case GELU_TANH -> {
                    for (int i = 0; i < nv; i += L) {
                        FloatVector v = FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE);
                        FloatVector inner = v.mul(v).mul(v).mul(0.044715f).add(v).mul(UnaryOp.SQRT_2_OVER_PI);
                        inner.lanewise(TANH).add(1f).mul(v).mul(0.5f).intoMemorySegment(os, (oa + i) * 4, LE);
                    }
                }
                case RELU -> {
                    for (int i = 0; i < nv; i += L) {
                        FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE).max(0f).intoMemorySegment(os, (oa + i) * 4, LE);
                    }
                }
                case SCALE -> {
                    for (int i = 0; i < nv; i += L) {
                        FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE).mul(param).intoMemorySegment(os, (oa + i) * 4, LE);
                    }
                }
                case SOFTCAP -> {
                    for (int i = 0; i < nv; i += L) {
                        FloatVector v = FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE);
                        v.div(param).lanewise(TANH).mul(param).intoMemorySegment(os, (oa + i) * 4, LE);
                    }
                }
                case GELU -> nv = 0;   // erf in double, per element, below
            }
            for (int i = nv; i < n; i++) {
                os.set(Lanes.F32_LE, (oa + i * o1) * 4, f.apply(xs.get(Lanes.F32_LE, (xa + i * x1) * 4), param));
            }
        }
    }

    /** {@code out = f(gate) · up} for rows {@code [from, to)} (SwiGLU, GeGLU). */
    public static void gated(UnaryOp f, Tensor gate, Tensor up, Tensor out, int from, int to) {
        if (NativeOps.gated(f, gate, up, out, from, to)) {
            return;
        }
        int n = TensorRows.width(out);
        MemorySegment gs = gate.base();
        MemorySegment us = up.base();
        MemorySegment os = out.base();
        long g1 = TensorRows.innerStride(gate);
        long u1 = TensorRows.innerStride(up);
        long o1 = TensorRows.innerStride(out);
        boolean unit = g1 == 1 && u1 == 1 && o1 == 1;
        for (int row = from; row < to; row++) {
            long ga = TensorRows.offset(gate, row);
            long ua = TensorRows.offset(up, row);
            long oa = TensorRows.offset(out, row);
            int nv = unit ? F.loopBound(n) : 0;
            switch (f) {
                case SILU -> {
                    for (int i = 0; i < nv; i += L) {
                        FloatVector g = FloatVector.fromMemorySegment(F, gs, (ga + i) * 4, LE);
                        FloatVector u = FloatVector.fromMemorySegment(F, us, (ua + i) * 4, LE);
                        g.div(g.neg().lanewise(EXP).add(1f)).mul(u).intoMemorySegment(os, (oa + i) * 4, LE);
                    }
                }
                case GELU_TANH -> {
                    for (int i = 0; i < nv; i += L) {
                        FloatVector g = FloatVector.fromMemorySegment(F, gs, (ga + i) * 4, LE);
                        FloatVector u = FloatVector.fromMemorySegment(F, us, (ua + i) * 4, LE);
                        FloatVector inner = g.mul(g).mul(g).mul(0.044715f).add(g).mul(UnaryOp.SQRT_2_OVER_PI);
                        inner.lanewise(TANH).add(1f).mul(g).mul(0.5f).mul(u).intoMemorySegment(os, (oa + i) * 4, LE);
                    }
                }
                case RELU -> {
                    for (int i = 0; i < nv; i += L) {
                        FloatVector g = FloatVector.fromMemorySegment(F, gs, (ga + i) * 4, LE);
                        FloatVector u = FloatVector.fromMemorySegment(F, us, (ua + i) * 4, LE);
                        g.max(0f).mul(u).intoMemorySegment(os, (oa + i) * 4, LE);
                    }
                }
                default -> nv = 0;
            }
            for (int i = nv; i < n; i++) {
                float g = f.apply(gs.get(Lanes.F32_LE, (ga + i * g1) * 4), 0f);
                os.set(Lanes.F32_LE, (oa + i * o1) * 4, g * us.get(Lanes.F32_LE, (ua + i * u1) * 4));
            }
        }
    }

    /** Softmax over the last dimension for rows {@code [from, to)}: max-subtracted, so exp never overflows. */
    public static void softmax(Tensor x, Tensor out, int from, int to) {
        int n = TensorRows.width(out);
        MemorySegment xs = x.base();
        MemorySegment os = out.base();
        long x1 = TensorRows.innerStride(x);
        long o1 = TensorRows.innerStride(out);
        int nv = x1 == 1 && o1 == 1 ? F.loopBound(n) : 0;
        for (int row = from; row < to; row++) {
            long xa = TensorRows.offset(x, row);
            long oa = TensorRows.offset(out, row);
            FloatVector maxv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < nv; i += L) {
                maxv = maxv.max(FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE));
            }
            float max = maxv.reduceLanes(VectorOperators.MAX);
            for (int i = nv; i < n; i++) {
                max = Math.max(max, xs.get(Lanes.F32_LE, (xa + i * x1) * 4));
            }
            FloatVector sumv = FloatVector.zero(F);
            for (int i = 0; i < nv; i += L) {
                FloatVector e = FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE).sub(max).lanewise(EXP);
                e.intoMemorySegment(os, (oa + i) * 4, LE);
                sumv = sumv.add(e);
            }
            double sum = sumv.reduceLanes(VectorOperators.ADD);
            for (int i = nv; i < n; i++) {
                float e = (float) Math.exp(xs.get(Lanes.F32_LE, (xa + i * x1) * 4) - max);
                os.set(Lanes.F32_LE, (oa + i * o1) * 4, e);
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < nv; i += L) {
                FloatVector.fromMemorySegment(F, os, (oa + i) * 4, LE).mul(inv).intoMemorySegment(os, (oa + i) * 4, LE);
            }
            for (int i = nv; i < n; i++) {
                long at = (oa + i * o1) * 4;
                os.set(Lanes.F32_LE, at, os.get(Lanes.F32_LE, at) * inv);
            }
        }
    }
}
