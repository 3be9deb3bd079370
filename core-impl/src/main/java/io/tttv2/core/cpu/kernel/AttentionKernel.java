package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.I;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.S2I;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Scaled dot-product attention of queries against a paged KV cache. The cache's K and V of a layer are
 * [blocks, blockSize, kvHeads, D]; key position j of a sequence lives in block {@code table.block(j /
 * blockSize)}, row {@code j % blockSize}. Query head h reads kv head {@code h / (heads / kvHeads)}.
 *
 * <p>Two passes per (query, head): scores into a per-thread buffer (scaled, soft-capped, their max
 * taken), then exp and the weighted sum of values; keys and values are read a run of consecutive rows of
 * one block at a time, in their stored dtype. The work items are (query, head) pairs.
 *
 * <p>One instance per calling thread: {@code bind…} sets one call's operands and the instance is the loop
 * body handed to the pool, so a call allocates nothing; each worker's buffers are thread-local.
 */
public final class AttentionKernel implements WorkerPool.RangeBody {

    private static final int L = Lanes.L;
    private static final VectorSpecies<Short> S = Lanes.S_HALF;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread buffers, grown when a longer sequence or wider head arrives. */
    private static final class Scratch {
        float[] q = new float[0];       // [D] the query row, scaled
        float[] acc = new float[0];     // [D] weighted sum of values
        float[] scores = new float[0];  // [keys] scores, then probabilities
        float[] row = new float[0];     // [D] an F16 key or value row widened

        void ensure(int d, int keys) {
            if (q.length < d) {
                q = new float[d];
                acc = new float[d];
                row = new float[d];
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

        // pass 1: scores of the keys, a run of consecutive rows of one block at a time
        for (int j = first; j <= last; ) {
            int row = j % blockSize;
            int run = Math.min(blockSize - row, last - j + 1);
            long ka = keys.offset() + bt.block(j / blockSize) * keys.stride(0) + row * keys.stride(1) + g * keys.stride(2);
            scoreRun(keys.dtype(), keys.base(), ka, keys.stride(1), run, qv, d, scores, j - first, s.row);
            j += run;
        }
        if (softcap > 0) {
            softcap(scores, n, softcap);
        }
        float sum = expInPlace(scores, n, max(scores, n));

        // pass 2: the probability-weighted sum of the values
        java.util.Arrays.fill(acc, 0, d, 0f);
        for (int j = first; j <= last; ) {
            int row = j % blockSize;
            int run = Math.min(blockSize - row, last - j + 1);
            long va = values.offset() + bt.block(j / blockSize) * values.stride(0) + row * values.stride(1) + g * values.stride(2);
            accumulateRun(values.dtype(), values.base(), va, values.stride(1), run, scores, j - first, acc, d, s.row);
            j += run;
        }
        float inv = 1f / sum;
        MemorySegment os = out.base();
        long oa = out.offset() + t * out.stride(0) + h * out.stride(1);
        long oi = out.stride(2);
        for (int i = 0; i < d; i++) {
            os.set(Lanes.F32_LE, (oa + i * oi) * 4, acc[i] * inv);
        }
    }

    /**
     * scores[at + r] = q · key row r, for {@code count} rows {@code rowStride} elements apart from element
     * offset {@code from} of seg (in dtype dt). F16 rows are widened into {@code row} first.
     */
    private static void scoreRun(DType dt, MemorySegment seg, long from, long rowStride, int count, float[] q, int d,
                                 float[] scores, int at, float[] row) {
        int dv = F.loopBound(d);
        for (int r = 0; r < count; r++) {
            long ka = from + r * rowStride;
            FloatVector acc = FloatVector.zero(F);
            float sum = 0;
            switch (dt) {
                case F32 -> {
                    for (int i = 0; i < dv; i += L) {
                        acc = FloatVector.fromArray(F, q, i).fma(FloatVector.fromMemorySegment(F, seg, (ka + i) * 4, LE), acc);
                    }
                    for (int i = dv; i < d; i++) {
                        sum += q[i] * seg.get(Lanes.F32_LE, (ka + i) * 4);
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < dv; i += L) {
                        IntVector b = (IntVector) ShortVector.fromMemorySegment(S, seg, (ka + i) * 2, LE).convertShape(S2I, I, 0);
                        acc = FloatVector.fromArray(F, q, i).fma(b.lanewise(LSHL, 16).reinterpretAsFloats(), acc);
                    }
                    for (int i = dv; i < d; i++) {
                        sum += q[i] * Lanes.read(DType.BF16, seg, ka + i);
                    }
                }
                default -> {
                    Lanes.widen(dt, seg, ka, d, row, 0);
                    for (int i = 0; i < dv; i += L) {
                        acc = FloatVector.fromArray(F, q, i).fma(FloatVector.fromArray(F, row, i), acc);
                    }
                    for (int i = dv; i < d; i++) {
                        sum += q[i] * row[i];
                    }
                }
            }
            scores[at + r] = dv > 0 ? sum + acc.reduceLanes(VectorOperators.ADD) : sum;
        }
    }

    /**
     * acc += p[at + r] · value row r, for {@code count} rows laid out as in {@link #scoreRun}. For F32 and
     * BF16 the loop over rows is innermost, so each slice of acc stays in a register across the run.
     */
    private static void accumulateRun(DType dt, MemorySegment seg, long from, long rowStride, int count, float[] p,
                                      int at, float[] acc, int d, float[] row) {
        int dv = F.loopBound(d);
        switch (dt) {
            case F32 -> {
                for (int i = 0; i < dv; i += L) {
                    FloatVector a = FloatVector.fromArray(F, acc, i);
                    for (int r = 0; r < count; r++) {
                        FloatVector v = FloatVector.fromMemorySegment(F, seg, (from + r * rowStride + i) * 4, LE);
                        a = v.fma(FloatVector.broadcast(F, p[at + r]), a);
                    }
                    a.intoArray(acc, i);
                }
            }
            case BF16 -> {
                for (int i = 0; i < dv; i += L) {
                    FloatVector a = FloatVector.fromArray(F, acc, i);
                    for (int r = 0; r < count; r++) {
                        IntVector b = (IntVector) ShortVector.fromMemorySegment(S, seg, (from + r * rowStride + i) * 2, LE)
                                .convertShape(S2I, I, 0);
                        a = b.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.broadcast(F, p[at + r]), a);
                    }
                    a.intoArray(acc, i);
                }
            }
            default -> {
                for (int r = 0; r < count; r++) {
                    Lanes.widen(dt, seg, from + r * rowStride, d, row, 0);
                    FloatVector pv = FloatVector.broadcast(F, p[at + r]);
                    for (int i = 0; i < dv; i += L) {
                        FloatVector.fromArray(F, row, i).fma(pv, FloatVector.fromArray(F, acc, i)).intoArray(acc, i);
                    }
                    for (int i = dv; i < d; i++) {
                        acc[i] += p[at + r] * row[i];
                    }
                }
                return;
            }
        }
        for (int i = dv; i < d; i++) {
            float a = acc[i];
            for (int r = 0; r < count; r++) {
                a += p[at + r] * Lanes.read(dt, seg, from + r * rowStride + i);
            }
            acc[i] = a;
        }
    }

    /** scores[j] = cap · tanh(scores[j] / cap) for j < n. */
    private static void softcap(float[] scores, int n, float cap) {
        int nv = F.loopBound(n);
        for (int j = 0; j < nv; j += L) {
            FloatVector.fromArray(F, scores, j).div(cap).lanewise(VectorOperators.TANH).mul(cap).intoArray(scores, j);
        }
        for (int j = nv; j < n; j++) {
            scores[j] = (float) (cap * Math.tanh(scores[j] / cap));
        }
    }

    private static float max(float[] scores, int n) {
        int nv = F.loopBound(n);
        FloatVector m = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int j = 0; j < nv; j += L) {
            m = m.max(FloatVector.fromArray(F, scores, j));
        }
        float max = m.reduceLanes(VectorOperators.MAX);
        for (int j = nv; j < n; j++) {
            max = Math.max(max, scores[j]);
        }
        return max;
    }

    /** scores[j] = exp(scores[j] − max) for j < n; returns their sum. */
    private static float expInPlace(float[] scores, int n, float max) {
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
        return sum;
    }
}
