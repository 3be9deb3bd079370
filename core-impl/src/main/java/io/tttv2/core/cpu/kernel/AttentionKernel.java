package io.tttv2.core.cpu.kernel;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Scaled dot-product attention of queries against a paged KV cache. The cache's K and V of a layer are
 * [blocks, blockSize, kvHeads, D]; key position j of a sequence lives in block {@code table.block(j /
 * blockSize)}, row {@code j % blockSize}. Query head h reads kv head {@code h / (heads / kvHeads)}.
 *
 * <p>Two passes per (query, head): scores into a per-thread buffer (scaled, soft-capped, their max
 * taken), then exp and the weighted sum of values. The work items are (query, head) pairs.
 *
 * <p>One instance per calling thread: {@code bind…} sets one call's operands and the instance is the loop
 * body handed to the pool, so a call allocates nothing; each worker's buffers are thread-local.
 */
public final class AttentionKernel implements WorkerPool.RangeBody {

    private static final int L = Lanes.L;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers, grown when a longer sequence or wider head arrives. */
    private static final class Scratch {
        float[] q = new float[0];       // [D] the query row, scaled
        float[] acc = new float[0];     // [D] weighted sum of values
        float[] scores = new float[0];  // [keys] scores, then probabilities

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
    private Tensor out;
    private Tensor keys;
    private Tensor values;
    private BlockTable table;        // prefill: the one sequence
    private BlockTable[] tables;     // decode: one per row of q
    private int[] positions;         // decode: the position of each row of q
    private int start;               // prefill: position of the first query
    private int queries;
    private int heads;
    private int group;
    private int blockSize;
    private int headDim;
    private float scale;
    private boolean causal;
    private int window;
    private float softcap;

    /** Binds a prefill call: q, out [T, heads, D] at positions start..start+T-1 of one sequence. */
    public void bindPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                            AttentionParams params, Tensor out) {
        bindCommon(q, cache, layer, params, out);
        this.table = table;
        this.tables = null;
        this.positions = null;
        this.start = start;
    }

    /** Binds a decode call: q, out [B, heads, D], row b at positions[b] of sequence tables[b]. */
    public void bindDecode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions,
                           AttentionParams params, Tensor out) {
        bindCommon(q, cache, layer, params, out);
        this.table = null;
        this.tables = tables;
        this.positions = positions;
        this.start = 0;
    }

    private void bindCommon(Tensor q, PagedKvCache cache, int layer, AttentionParams params, Tensor out) {
        this.q = q;
        this.out = out;
        this.keys = cache.keys(layer);
        this.values = cache.values(layer);
        this.queries = q.dim(0);
        this.heads = q.dim(1);
        this.headDim = q.dim(2);
        this.group = heads / keys.dim(2);
        this.blockSize = keys.dim(1);
        this.scale = params.scale();
        this.causal = params.causal();
        this.window = params.slidingWindow();
        this.softcap = params.softcap();
    }

    /** Drops the references to the last call's operands. */
    public void unbind() {
        q = out = keys = values = null;
        table = null;
        tables = null;
        positions = null;
    }

    /** Number of work items: (query, head) pairs. */
    public int items() {
        return queries * heads;
    }

    @Override
    public void run(int from, int to) {
        Scratch s = SCRATCH.get();
        for (int item = from; item < to; item++) {
            int t = item / heads;
            int h = item % heads;
            int p;
            int last;
            BlockTable bt;
            if (tables == null) {
                p = start + t;
                last = causal ? p : start + queries - 1;
                bt = table;
            } else {
                p = positions[t];
                last = p;
                bt = tables[t];
            }
            int first = window > 0 ? Math.max(0, p - window + 1) : 0;
            attend(s, t, h, bt, first, last);
        }
    }

    /** Query t, head h against key positions [first, last] of the sequence in {@code bt}. */
    private void attend(Scratch s, int t, int h, BlockTable bt, int first, int last) {
        int d = headDim;
        int n = last - first + 1;
        s.ensure(d, n);
        float[] qv = s.q;
        float[] acc = s.acc;
        float[] scores = s.scores;
        MemorySegment qs = q.base();
        long qa = q.offset() + t * q.stride(0) + h * q.stride(1);
        long qi = q.stride(2);
        for (int i = 0; i < d; i++) {
            qv[i] = qs.get(Lanes.F32_LE, (qa + i * qi) * 4) * scale;
        }
        int g = h / group;
        DType kt = keys.dtype();
        MemorySegment ks = keys.base();
        MemorySegment vs = values.base();

        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            long ka = rowOffset(keys, bt, first + j, g);
            float score = dot(qv, ks, kt, ka, d);
            if (softcap > 0) {
                score = (float) (softcap * Math.tanh(score / softcap));
            }
            scores[j] = score;
            max = Math.max(max, score);
        }
        float sum = expInPlace(scores, n, max);

        java.util.Arrays.fill(acc, 0, d, 0f);
        DType vt = values.dtype();
        for (int j = 0; j < n; j++) {
            long va = rowOffset(values, bt, first + j, g);
            axpy(acc, scores[j], vs, vt, va, d);
        }
        float inv = 1f / sum;
        MemorySegment os = out.base();
        long oa = out.offset() + t * out.stride(0) + h * out.stride(1);
        long oi = out.stride(2);
        for (int i = 0; i < d; i++) {
            os.set(Lanes.F32_LE, (oa + i * oi) * 4, acc[i] * inv);
        }
    }

    /** Element offset of key/value position {@code pos}, kv head {@code g}, in a [blocks, bs, kvH, D] tensor. */
    private long rowOffset(Tensor kv, BlockTable bt, int pos, int g) {
        int block = bt.block(pos / blockSize);
        return kv.offset() + block * kv.stride(0) + (pos % blockSize) * kv.stride(1) + g * kv.stride(2);
    }

    private static float dot(float[] a, MemorySegment seg, DType dt, long at, int d) {
        int dv = Lanes.F.loopBound(d);
        int i = 0;
        float sum = 0;
        if (dv > 0) {
            FloatVector accv = FloatVector.zero(Lanes.F);
            for (; i < dv; i += L) {
                accv = FloatVector.fromArray(Lanes.F, a, i).fma(Lanes.load(dt, seg, (at + i) * dt.byteSize()), accv);
            }
            sum = accv.reduceLanes(VectorOperators.ADD);
        }
        for (; i < d; i++) {
            sum += a[i] * Lanes.read(dt, seg, at + i);
        }
        return sum;
    }

    /** acc += p · row. */
    private static void axpy(float[] acc, float p, MemorySegment seg, DType dt, long at, int d) {
        int dv = Lanes.F.loopBound(d);
        int i = 0;
        for (; i < dv; i += L) {
            FloatVector v = Lanes.load(dt, seg, (at + i) * dt.byteSize());
            v.fma(FloatVector.broadcast(Lanes.F, p), FloatVector.fromArray(Lanes.F, acc, i)).intoArray(acc, i);
        }
        for (; i < d; i++) {
            acc[i] += p * Lanes.read(dt, seg, at + i);
        }
    }

    /** scores[j] = exp(scores[j] − max) for j < n; returns their sum. */
    private static float expInPlace(float[] scores, int n, float max) {
        int nv = Lanes.F.loopBound(n);
        int j = 0;
        FloatVector sumv = FloatVector.zero(Lanes.F);
        for (; j < nv; j += L) {
            FloatVector e = FloatVector.fromArray(Lanes.F, scores, j).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(scores, j);
            sumv = sumv.add(e);
        }
        float sum = sumv.reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            float e = (float) Math.exp(scores[j] - max);
            scores[j] = e;
            sum += e;
        }
        return sum;
    }
}
