package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Element-wise ops on F32 tensors of one shape, row by row over the last dimension (see {@link TensorRows}),
 * so strided views work; rows whose operands all have unit inner stride take the vector path. The
 * output may be one of the inputs: every element is read before it is written.
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
        int n = TensorRows.width(out);
        MemorySegment as = a.base();
        MemorySegment bs = b.base();
        MemorySegment os = out.base();
        long a1 = TensorRows.innerStride(a);
        long b1 = TensorRows.innerStride(b);
        long o1 = TensorRows.innerStride(out);
        boolean unit = a1 == 1 && b1 == 1 && o1 == 1;
        for (int row = from; row < to; row++) {
            long aa = TensorRows.offset(a, row);
            long ba = TensorRows.offset(b, row);
            long oa = TensorRows.offset(out, row);
            int i = 0;
            if (unit) {
                int nv = Lanes.F.loopBound(n);
                switch (op) {
                    case ADD -> {
                        for (; i < nv; i += L) {
                            Lanes.storeF32(Lanes.loadF32(as, (aa + i) * 4).add(Lanes.loadF32(bs, (ba + i) * 4)), os, (oa + i) * 4);
                        }
                    }
                    case MUL -> {
                        for (; i < nv; i += L) {
                            Lanes.storeF32(Lanes.loadF32(as, (aa + i) * 4).mul(Lanes.loadF32(bs, (ba + i) * 4)), os, (oa + i) * 4);
                        }
                    }
                }
            }
            for (; i < n; i++) {
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
        boolean unit = x1 == 1 && o1 == 1 && f.vectorised();
        for (int row = from; row < to; row++) {
            long xa = TensorRows.offset(x, row);
            long oa = TensorRows.offset(out, row);
            int i = 0;
            if (unit) {
                int nv = Lanes.F.loopBound(n);
                for (; i < nv; i += L) {
                    Lanes.storeF32(f.apply(Lanes.loadF32(xs, (xa + i) * 4), param), os, (oa + i) * 4);
                }
            }
            for (; i < n; i++) {
                os.set(Lanes.F32_LE, (oa + i * o1) * 4, f.apply(xs.get(Lanes.F32_LE, (xa + i * x1) * 4), param));
            }
        }
    }

    /** {@code out = f(gate) · up} for rows {@code [from, to)} (SwiGLU, GeGLU). */
    public static void gated(UnaryOp f, Tensor gate, Tensor up, Tensor out, int from, int to) {
        int n = TensorRows.width(out);
        MemorySegment gs = gate.base();
        MemorySegment us = up.base();
        MemorySegment os = out.base();
        long g1 = TensorRows.innerStride(gate);
        long u1 = TensorRows.innerStride(up);
        long o1 = TensorRows.innerStride(out);
        boolean unit = g1 == 1 && u1 == 1 && o1 == 1 && f.vectorised();
        for (int row = from; row < to; row++) {
            long ga = TensorRows.offset(gate, row);
            long ua = TensorRows.offset(up, row);
            long oa = TensorRows.offset(out, row);
            int i = 0;
            if (unit) {
                int nv = Lanes.F.loopBound(n);
                for (; i < nv; i += L) {
                    FloatVector g = f.apply(Lanes.loadF32(gs, (ga + i) * 4), 0f);
                    Lanes.storeF32(g.mul(Lanes.loadF32(us, (ua + i) * 4)), os, (oa + i) * 4);
                }
            }
            for (; i < n; i++) {
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
        for (int row = from; row < to; row++) {
            long xa = TensorRows.offset(x, row);
            long oa = TensorRows.offset(out, row);
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                max = Math.max(max, xs.get(Lanes.F32_LE, (xa + i * x1) * 4));
            }
            double sum = 0;
            for (int i = 0; i < n; i++) {
                float e = (float) Math.exp(xs.get(Lanes.F32_LE, (xa + i * x1) * 4) - max);
                os.set(Lanes.F32_LE, (oa + i * o1) * 4, e);
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < n; i++) {
                long at = (oa + i * o1) * 4;
                os.set(Lanes.F32_LE, at, os.get(Lanes.F32_LE, at) * inv);
            }
        }
    }
}
