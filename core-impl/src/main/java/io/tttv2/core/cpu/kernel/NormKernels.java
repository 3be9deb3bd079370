package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.LE;

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
        if (NativeOps.rmsNorm(x, w, eps, weightOffset, out, from, to)) {
            return;
        }
        int h = TensorRows.width(x);
        MemorySegment xs = x.base();
        MemorySegment os = out.base();
        // the gain (weightOffset + w) as F32, once per call: [H]
        float[] gain = ThreadScratch.floats(ThreadScratch.WEIGHT, h);
        if (w.stride(0) == 1) {
            Lanes.widen(w.dtype(), w.base(), w.offset(), h, gain, 0);
        } else {
            for (int i = 0; i < h; i++) {
                gain[i] = Lanes.read(w.dtype(), w.base(), w.offset() + i * w.stride(0));
            }
        }
        for (int i = 0; i < h; i++) {
            gain[i] += weightOffset;
        }
        long x1 = TensorRows.innerStride(x);
        long o1 = TensorRows.innerStride(out);
        boolean unit = x1 == 1 && o1 == 1;
        int hv = unit ? F.loopBound(h) : 0;
        for (int row = from; row < to; row++) {
            long xa = TensorRows.offset(x, row);
            long oa = TensorRows.offset(out, row);
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < hv; i += L) {
                FloatVector v = FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE);
                acc = v.fma(v, acc);
            }
            float ss = acc.reduceLanes(VectorOperators.ADD);
            for (int i = hv; i < h; i++) {
                float v = xs.get(Lanes.F32_LE, (xa + i * x1) * 4);
                ss += v * v;
            }
            float inv = (float) (1.0 / Math.sqrt(ss / h + eps));
            for (int i = 0; i < hv; i += L) {
                FloatVector v = FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE);
                v.mul(inv).mul(FloatVector.fromArray(F, gain, i)).intoMemorySegment(os, (oa + i) * 4, LE);
            }
            for (int i = hv; i < h; i++) {
                os.set(Lanes.F32_LE, (oa + i * o1) * 4, xs.get(Lanes.F32_LE, (xa + i * x1) * 4) * inv * gain[i]);
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
