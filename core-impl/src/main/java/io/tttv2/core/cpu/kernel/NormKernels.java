package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * RMSNorm and LayerNorm over the last dimension, row by row: x, out [rows, H] F32 (out may be x);
 * weight, bias [H] in any float dtype. Rows with unit inner stride take the vector path.
 */
public final class NormKernels {

    private static final int L = Lanes.L;

    private NormKernels() {
    }

    /** {@code out = x / sqrt(mean(x²) + eps) · (weightOffset + w)} for rows {@code [from, to)}. */
    public static void rmsNorm(Tensor x, Tensor w, float eps, float weightOffset, Tensor out, int from, int to) {
        int h = TensorRows.width(x);
        MemorySegment xs = x.base();
        MemorySegment os = out.base();
        MemorySegment ws = w.base();
        DType wt = w.dtype();
        long wOff = w.offset();
        boolean vector = TensorRows.innerStride(x) == 1 && TensorRows.innerStride(out) == 1 && w.stride(0) == 1;
        for (int row = from; row < to; row++) {
            long xa = TensorRows.offset(x, row);
            long oa = TensorRows.offset(out, row);
            if (vector) {
                int hv = Lanes.F.loopBound(h);
                FloatVector acc = FloatVector.zero(Lanes.F);
                for (int i = 0; i < hv; i += L) {
                    FloatVector v = Lanes.loadF32(xs, (xa + i) * 4);
                    acc = v.fma(v, acc);
                }
                float ss = acc.reduceLanes(VectorOperators.ADD);
                for (int i = hv; i < h; i++) {
                    float v = xs.get(Lanes.F32_LE, (xa + i) * 4);
                    ss += v * v;
                }
                float inv = (float) (1.0 / Math.sqrt(ss / h + eps));
                for (int i = 0; i < hv; i += L) {
                    FloatVector g = Lanes.load(wt, ws, (wOff + i) * wt.byteSize()).add(weightOffset);
                    Lanes.storeF32(Lanes.loadF32(xs, (xa + i) * 4).mul(inv).mul(g), os, (oa + i) * 4);
                }
                for (int i = hv; i < h; i++) {
                    float g = weightOffset + Lanes.read(wt, ws, wOff + i);
                    os.set(Lanes.F32_LE, (oa + i) * 4, xs.get(Lanes.F32_LE, (xa + i) * 4) * inv * g);
                }
            } else {
                long xs1 = TensorRows.innerStride(x);
                long os1 = TensorRows.innerStride(out);
                long ws1 = w.stride(0);
                float ss = 0;
                for (int i = 0; i < h; i++) {
                    float v = xs.get(Lanes.F32_LE, (xa + i * xs1) * 4);
                    ss += v * v;
                }
                float inv = (float) (1.0 / Math.sqrt(ss / h + eps));
                for (int i = 0; i < h; i++) {
                    float g = weightOffset + Lanes.read(wt, ws, wOff + i * ws1);
                    os.set(Lanes.F32_LE, (oa + i * os1) * 4, xs.get(Lanes.F32_LE, (xa + i * xs1) * 4) * inv * g);
                }
            }
        }
    }

    /** {@code out = (x - mean) / sqrt(var + eps) · w (+ b)} for rows {@code [from, to)}; b may be null. */
    public static void layerNorm(Tensor x, Tensor w, Tensor b, float eps, Tensor out, int from, int to) {
        int h = TensorRows.width(x);
        MemorySegment xs = x.base();
        MemorySegment os = out.base();
        long xs1 = TensorRows.innerStride(x);
        long os1 = TensorRows.innerStride(out);
        for (int row = from; row < to; row++) {
            long xa = TensorRows.offset(x, row);
            long oa = TensorRows.offset(out, row);
            // two passes (mean, then squared deviations), accumulated in double: no cancellation when
            // |mean| ≫ σ, and no drift over wide rows
            double sum = 0;
            for (int i = 0; i < h; i++) {
                sum += xs.get(Lanes.F32_LE, (xa + i * xs1) * 4);
            }
            double mean = sum / h;
            double sq = 0;
            for (int i = 0; i < h; i++) {
                double d = xs.get(Lanes.F32_LE, (xa + i * xs1) * 4) - mean;
                sq += d * d;
            }
            double inv = 1.0 / Math.sqrt(sq / h + eps);
            for (int i = 0; i < h; i++) {
                float v = (float) ((xs.get(Lanes.F32_LE, (xa + i * xs1) * 4) - mean) * inv
                        * Lanes.read(w.dtype(), w.base(), w.offset() + i * w.stride(0)));
                if (b != null) {
                    v += Lanes.read(b.dtype(), b.base(), b.offset() + i * b.stride(0));
                }
                os.set(Lanes.F32_LE, (oa + i * os1) * 4, v);
            }
        }
    }
}
