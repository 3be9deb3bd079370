package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.LE;

import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Scaled dot-product attention over keys and values held in dense F32 tensors (not the paged cache): an
 * encoder over a padded batch, a cross-attention over encoder states. q, out [B, Tq, heads, D]; k, v [B, Tk,
 * kvHeads, D]; query head h reads kv head {@code h / (heads / kvHeads)}.
 *
 * <p>Per (batch row, query, head): the scores of the visible keys into a per-thread buffer (scaled,
 * soft-capped, plus the additive bias; padded keys and keys outside the causal range or window left out as
 * −∞), their max, exp and sum, then the probability-weighted sum of the values. The work items are those
 * triples; one instance per calling thread, bound per call, so a call allocates nothing once warm.
 */
public final class DenseAttentionKernel implements WorkerPool.RangeBody {

    private static final int L = Lanes.L;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers, grown when a longer sequence or wider head arrives. */
    private static final class Scratch {
        float[] q = new float[0];       // [D] the query row, scaled
        float[] acc = new float[0];     // [D] weighted sum of values
        float[] scores = new float[0];  // [Tk] scores, then probabilities

        void ensure(int d, int keys) {
            if (q.length < d) {
                q = new float[d];
                acc = new float[d];
            }
            if (scores.length < keys) {
                scores = new float[Math.max(keys, scores.length * 2)];
            }
        }
    }

    // operands of the call in progress
    private Tensor q;
    private Tensor k;
    private Tensor v;
    private Tensor bias;            // [heads, Tq, Tk] or null
    private boolean[] keyMask;      // [B · Tk] or null
    private Tensor out;
    private int queries;
    private int keys;
    private int heads;
    private int group;
    private int headDim;
    private float scale;
    private boolean causal;
    private int window;
    private float softcap;

    /** Binds one call (shapes checked by the caller). */
    public void bind(Tensor q, Tensor k, Tensor v, boolean[] keyMask, Tensor bias, AttentionParams params, Tensor out) {
        this.q = q;
        this.k = k;
        this.v = v;
        this.keyMask = keyMask;
        this.bias = bias;
        this.out = out;
        this.queries = q.dim(1);
        this.keys = k.dim(1);
        this.heads = q.dim(2);
        this.headDim = q.dim(3);
        this.group = heads / k.dim(2);
        this.scale = params.scale();
        this.causal = params.causal();
        this.window = params.slidingWindow();
        this.softcap = params.softcap();
    }

    /** Drops the references to the last call's operands. */
    public void unbind() {
        q = k = v = bias = out = null;
        keyMask = null;
    }

    /** Number of work items: (batch row, query, head) triples. */
    public int items() {
        return q.dim(0) * queries * heads;
    }

    @Override
    public void run(int from, int to) {
        Scratch s = SCRATCH.get();
        s.ensure(headDim, keys);
        for (int item = from; item < to; item++) {
            int h = item % heads;
            int i = (item / heads) % queries;
            int b = item / (heads * queries);
            int p = i + keys - queries;                 // the query's position among the keys
            int last = causal ? Math.min(keys - 1, p) : keys - 1;
            int first = window > 0 ? Math.max(0, p - window + 1) : 0;
            attend(s, b, i, h, first, last);
        }
    }

    /** Query i of batch row b, head h, against keys [first, last]. */
    private void attend(Scratch s, int b, int i, int h, int first, int last) {
        int d = headDim;
        float[] qv = s.q;
        float[] acc = s.acc;
        float[] scores = s.scores;
        int g = h / group;
        MemorySegment qs = q.base();
        long qa = q.offset() + b * q.stride(0) + i * q.stride(1) + h * q.stride(2);
        long qi = q.stride(3);
        for (int e = 0; e < d; e++) {
            qv[e] = qs.get(Lanes.F32_LE, (qa + e * qi) * 4) * scale;
        }
        MemorySegment ks = k.base();
        long kRow = k.stride(1);
        long ka = k.offset() + b * k.stride(0) + g * k.stride(2);
        MemorySegment bs = bias == null ? null : bias.base();
        long ba = bias == null ? 0 : bias.offset() + h * bias.stride(0) + i * bias.stride(1);
        long bj = bias == null ? 0 : bias.stride(2);
        int maskRow = b * keys;
        int dv = F.loopBound(d);
        int n = Math.max(0, last - first + 1);

        // pass 1: scores (−∞ for a padded key)
        float max = Float.NEGATIVE_INFINITY;
        for (int j = first; j <= last; j++) {
            float score;
            if (keyMask != null && !keyMask[maskRow + j]) {
                score = Float.NEGATIVE_INFINITY;
            } else {
                long row = ka + j * kRow;
                FloatVector sum = FloatVector.zero(F);
                for (int e = 0; e < dv; e += L) {
                    sum = FloatVector.fromArray(F, qv, e).fma(FloatVector.fromMemorySegment(F, ks, (row + e) * 4, LE), sum);
                }
                score = sum.reduceLanes(VectorOperators.ADD);
                for (int e = dv; e < d; e++) {
                    score += qv[e] * ks.get(Lanes.F32_LE, (row + e) * 4);
                }
                if (softcap > 0) {
                    score = (float) (softcap * Math.tanh(score / softcap));
                }
                if (bs != null) {
                    score += bs.get(Lanes.F32_LE, (ba + j * bj) * 4);
                }
                max = Math.max(max, score);
            }
            scores[j - first] = score;
        }
        MemorySegment os = out.base();
        long oa = out.offset() + b * out.stride(0) + i * out.stride(1) + h * out.stride(2);
        long oi = out.stride(3);
        if (max == Float.NEGATIVE_INFINITY) {           // no key visible: zeros, as documented by the op
            for (int e = 0; e < d; e++) {
                os.set(Lanes.F32_LE, (oa + e * oi) * 4, 0f);
            }
            return;
        }
        // exp and sum, written out here (see AttentionKernel: a small helper may linger in C1 code)
        int nv = F.loopBound(n);
        FloatVector sumv = FloatVector.zero(F);
        for (int j = 0; j < nv; j += L) {
            FloatVector e = FloatVector.fromArray(F, scores, j).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(scores, j);
            sumv = sumv.add(e);
        }
        float sum = sumv.reduceLanes(VectorOperators.ADD);
        for (int j = nv; j < n; j++) {
            float e = (float) Math.exp(scores[j] - max);
            scores[j] = e;
            sum += e;
        }

        // pass 2: the probability-weighted sum of the values, a slice of acc kept in a register per sweep
        MemorySegment vs = v.base();
        long vRow = v.stride(1);
        long va = v.offset() + b * v.stride(0) + g * v.stride(2) + first * vRow;
        Arrays.fill(acc, 0, d, 0f);
        for (int e = 0; e < dv; e += L) {
            FloatVector a = FloatVector.zero(F);
            for (int j = 0; j < n; j++) {
                float pj = scores[j];
                if (pj != 0f) {
                    a = FloatVector.fromMemorySegment(F, vs, (va + j * vRow + e) * 4, LE).fma(FloatVector.broadcast(F, pj), a);
                }
            }
            a.intoArray(acc, e);
        }
        for (int e = dv; e < d; e++) {
            float a = 0;
            for (int j = 0; j < n; j++) {
                a += scores[j] * vs.get(Lanes.F32_LE, (va + j * vRow + e) * 4);
            }
            acc[e] = a;
        }
        float inv = 1f / sum;
        for (int e = 0; e < d; e++) {
            os.set(Lanes.F32_LE, (oa + e * oi) * 4, acc[e] * inv);
        }
    }
}
