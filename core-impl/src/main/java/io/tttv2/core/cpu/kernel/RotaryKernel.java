package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.LE;

import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/**
 * Rotary position embedding: x, out [T, heads, D] F32 (out may be x; any strides); cos, sin
 * [maxPositions, R/2] in any float dtype, where R = rotaryDim ≤ D. Pair (a, b) at position p and
 * frequency i becomes (a·cos − b·sin, b·cos + a·sin); elements from R on are copied unchanged.
 * HALF pairs element i with i + R/2, INTERLEAVED pairs 2i with 2i+1.
 */
public final class RotaryKernel {

    private static final int L = Lanes.L;

    private RotaryKernel() {
    }

    /** Rotates tokens {@code [from, to)}. */
    public static void apply(Tensor x, Tensor cos, Tensor sin, int[] positions, RotaryStyle style, Tensor out,
                             int from, int to) {
        if (NativeOps.rotary(x, cos, sin, positions, style, out, from, to)) {
            return;
        }
        int heads = x.dim(1);
        int d = x.dim(2);
        int half = cos.dim(1);
        MemorySegment xs = x.base();
        MemorySegment os = out.base();
        MemorySegment cs = cos.base();
        MemorySegment ss = sin.base();
        long xi = x.stride(2);
        long oi = out.stride(2);
        boolean vector = style == RotaryStyle.HALF && xi == 1 && oi == 1
                && cos.dtype() == DType.F32 && sin.dtype() == DType.F32 && cos.stride(1) == 1 && sin.stride(1) == 1;
        for (int t = from; t < to; t++) {
            int p = positions[t];
            long ca = cos.offset() + p * cos.stride(0);
            long sa = sin.offset() + p * sin.stride(0);
            for (int h = 0; h < heads; h++) {
                long xa = x.offset() + t * x.stride(0) + h * x.stride(1);
                long oa = out.offset() + t * out.stride(0) + h * out.stride(1);
                int i = 0;
                if (vector) {
                    int hv = F.loopBound(half);
                    for (; i < hv; i += L) {
                        FloatVector c = FloatVector.fromMemorySegment(F, cs, (ca + i) * 4, LE);
                        FloatVector s = FloatVector.fromMemorySegment(F, ss, (sa + i) * 4, LE);
                        FloatVector a = FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE);
                        FloatVector b = FloatVector.fromMemorySegment(F, xs, (xa + i + half) * 4, LE);
                        a.mul(c).sub(b.mul(s)).intoMemorySegment(os, (oa + i) * 4, LE);
                        b.mul(c).add(a.mul(s)).intoMemorySegment(os, (oa + i + half) * 4, LE);
                    }
                }
                for (; i < half; i++) {
                    float c = Lanes.read(cos.dtype(), cos.base(), ca + i * cos.stride(1));
                    float s = Lanes.read(sin.dtype(), sin.base(), sa + i * sin.stride(1));
                    int ia = style == RotaryStyle.HALF ? i : 2 * i;
                    int ib = style == RotaryStyle.HALF ? i + half : 2 * i + 1;
                    float a = xs.get(Lanes.F32_LE, (xa + ia * xi) * 4);
                    float b = xs.get(Lanes.F32_LE, (xa + ib * xi) * 4);
                    os.set(Lanes.F32_LE, (oa + ia * oi) * 4, a * c - b * s);
                    os.set(Lanes.F32_LE, (oa + ib * oi) * 4, b * c + a * s);
                }
                if (xs != os || xa != oa || xi != oi) {
                    for (int j = 2 * half; j < d; j++) {
                        os.set(Lanes.F32_LE, (oa + j * oi) * 4, xs.get(Lanes.F32_LE, (xa + j * xi) * 4));
                    }
                }
            }
        }
    }
}
