package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.I;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Scaled dot-product attention of queries against a paged KV cache. The cache's K of a layer is
 * [blocks, blockSize, kvHeads, Dk] and its V [blocks, blockSize, kvHeads, Dv]; a cache without values (MLA's
 * latent cache) is read as its own values, the first Dv elements of each key row. Key position j of a sequence lives in block {@code table.block(j /
 * blockSize)}, row {@code j % blockSize}. Query head h reads kv head {@code h / (heads / kvHeads)}.
 *
 * <p>Two passes per (query, head) and tile of {@link AttentionParams#kvTile()} key positions: scores into a
 * per-thread buffer (scaled, soft-capped, their max taken), then exp and the weighted sum of values, tiles folded
 * by an online softmax; keys and values are read a run of consecutive rows of one block at a time, in their
 * stored dtype. The work items are (query, head) pairs.
 *
 * <p>Where {@link NativeAttention} takes a call (native memory, no soft-cap, the native kernels bound), each pool
 * chunk is a few downcalls into paged_attention.c instead, which gives the bits this code gives once C2 has
 * compiled it; its exp is the vector EXP here too, in the tails as well (never Math.exp), so both share one
 * definition.
 *
 * <p>One instance per calling thread: {@code bind…} sets one call's operands and the instance is the loop
 * body handed to the pool, so a call allocates nothing; each worker's buffers are thread-local.
 */
public final class AttentionKernel implements WorkerPool.RangeBody {

    private static final int L = Lanes.L;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** Per calling thread: [0] its calls run the Java code only (tests), [1] its last call took the native route. */
    private static final ThreadLocal<boolean[]> ROUTE = ThreadLocal.withInitial(() -> new boolean[2]);

    /** Per-thread buffers, grown when a longer sequence or wider head arrives. */
    private static final class Scratch {
        float[] q = new float[0];       // [Dk] the query row, scaled
        float[] acc = new float[0];     // [Dv] weighted sum of values
        float[] scores = new float[0];  // [keys] scores, then probabilities
        float[] row = new float[0];     // [max(Dk, Dv)] an F16 key or value row widened (split order)

        void ensure(int d, int keys) {   // d: the wider of Dk and Dv
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
    private Tensor bias;             // prefill: [heads, T, start+T] added to the scores, or null
    private int start;               // prefill: position of the first query
    private int queries;
    private int heads;
    private int group;
    private int blockSize;
    private int headDim;             // Dk: query and key width
    private int valueDim;            // Dv: value and output width
    private float scale;
    private boolean causal;
    private int window;
    private float softcap;
    private int kvTile;              // 0: untiled
    private boolean nativeCall;      // this call runs paged_attention.c (NativeAttention)

    /** Binds a prefill call: q, out [T, heads, D] at positions start..start+T-1 of one sequence. */
    public void bindPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                            AttentionParams params, Tensor out) {
        bindPrefill(q, cache, layer, table, start, params, null, out);
    }

    /** Binds a prefill call with an additive score bias [heads, T, start+T] (T5's relative positions) or null. */
    public void bindPrefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start,
                            AttentionParams params, Tensor bias, Tensor out) {
        bindCommon(q, cache, layer, params, out);
        this.table = table;
        this.tables = null;
        this.positions = null;
        this.start = start;
        this.bias = bias;
        route();
    }

    /** Binds a decode call: q, out [B, heads, D], row b at positions[b] of sequence tables[b]. */
    public void bindDecode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions,
                           AttentionParams params, Tensor out) {
        bindCommon(q, cache, layer, params, out);
        this.table = null;
        this.tables = tables;
        this.positions = positions;
        this.start = 0;
        this.bias = null;
        route();
    }

    /** Chooses this call's route (see NativeAttention), on the calling thread. */
    private void route() {
        boolean[] flags = ROUTE.get();
        nativeCall = !flags[0] && NativeAttention.takes(q, out, keys, values, bias, softcap);
        flags[1] = nativeCall;
    }

    /** Sets whether the calling thread's calls run the Java code only; returns the old setting (tests). */
    static boolean javaOnly(boolean javaOnly) {
        boolean[] flags = ROUTE.get();
        boolean old = flags[0];
        flags[0] = javaOnly;
        return old;
    }

    /** Whether the calling thread's last call took the native route (tests). */
    static boolean lastCallNative() {
        return ROUTE.get()[1];
    }

    private void bindCommon(Tensor q, PagedKvCache cache, int layer, AttentionParams params, Tensor out) {
        this.q = q;
        this.out = out;
        this.keys = cache.keys(layer);
        this.values = cache.spec().storesValues() ? cache.values(layer) : keys;
        this.queries = q.dim(0);
        this.heads = q.dim(1);
        this.headDim = q.dim(2);
        this.valueDim = out.dim(2);
        this.group = heads / keys.dim(2);
        this.blockSize = keys.dim(1);
        this.scale = params.scale();
        this.causal = params.causal();
        this.window = params.slidingWindow();
        this.softcap = params.softcap();
        this.kvTile = params.kvTile();
    }

    /** Drops the references to the last call's operands. */
    public void unbind() {
        q = out = keys = values = bias = null;
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
        if (nativeCall) {
            runNative(from, to);
            return;
        }
        Scratch s = SCRATCH.get();
        for (int item = from; item < to; item++) {
            int t = item / heads;
            int h = item % heads;
            int p = position(t);
            attend(s, t, h, tableOf(t), firstKey(p), lastKey(p));
        }
    }

    /** Query row t's position: start + t for one sequence, its own position in a batched step. */
    private int position(int t) {
        return tables == null ? start + t : positions[t];
    }

    /** The last key a query at position p sees: itself (causal, or a batched step's row), else the prompt's last. */
    private int lastKey(int p) {
        return tables == null && !causal ? start + queries - 1 : p;
    }

    /** The first key a query at position p sees: 0, or the window's start. */
    private int firstKey(int p) {
        return window > 0 ? Math.max(0, p - window + 1) : 0;
    }

    /** Query row t's block table. */
    private BlockTable tableOf(int t) {
        return tables == null ? table : tables[t];
    }

    /**
     * {@link #run} by paged_attention.c: one downcall per query row and run of its heads in [from, to), with the
     * positions {@link #run} gives them; the block ids of each row's table copied to native scratch first.
     */
    private void runNative(int from, int to) {
        NativeAttention ns = NativeAttention.scratch();
        ns.reset();
        long dtype = NativeAttention.code(keys.dtype());
        long kAddr = NativeAttention.address(keys, 0);
        long vAddr = NativeAttention.address(values, 0);
        for (int item = from; item < to; ) {
            int t = item / heads;
            int h0 = item % heads;
            int h1 = Math.min(heads, h0 + (to - item));
            item += h1 - h0;
            int p = position(t);
            int last = lastKey(p);
            BlockTable bt = tableOf(t);
            int first = firstKey(p);
            int total = last - first + 1;
            int tile = kvTile > 0 ? Math.min(kvTile, total) : total;
            long scratch = ns.floats(headDim, valueDim, tile, group);
            long blocks = ns.blocks(bt, tables == null ? start + queries - 1 : last, blockSize);
            long biasAddr = bias == null ? 0 : NativeAttention.address(bias, t * bias.stride(1));
            try {
                NativeKernels.ATTENTION.invokeExact(NativeAttention.EXP_FN,
                        NativeAttention.address(q, t * q.stride(0)), q.stride(1), q.stride(2),
                        NativeAttention.address(out, t * out.stride(0)), out.stride(1), out.stride(2),
                        (long) h0, (long) h1, (long) group, dtype,
                        kAddr, keys.stride(0), keys.stride(1), keys.stride(2),
                        vAddr, values.stride(0), values.stride(1), values.stride(2),
                        blocks, (long) blockSize, (long) first, (long) last, (long) kvTile, scale,
                        (long) headDim, (long) valueDim,
                        biasAddr, bias == null ? 0L : bias.stride(0), bias == null ? 0L : bias.stride(2), scratch);
            } catch (Throwable e) {
                throw new IllegalStateException("native attention failed", e);
            }
        }
    }

    /**
     * Query t, head h against key positions [first, last] of the sequence in {@code bt}, {@code kvTile} positions
     * at a time (all at once when untiled). Tiles fold with an online softmax: a running max m and sum; when a
     * tile raises the max to m', acc and the sum are scaled by exp(m - m') before the tile's terms are added. A
     * single tile is the untiled computation exactly (the first tile scales nothing).
     */
    private void attend(Scratch s, int t, int h, BlockTable bt, int first, int last) {
        int d = headDim;
        int dv = valueDim;
        int total = last - first + 1;
        int tile = kvTile > 0 ? Math.min(kvTile, total) : total;
        s.ensure(Math.max(d, dv), tile);
        float[] qv = s.q;
        float[] acc = s.acc;
        float[] scores = s.scores;      // [tile] this tile's scores, then its exp terms
        MemorySegment qs = q.base();
        long qa = q.offset() + t * q.stride(0) + h * q.stride(1);
        long qi = q.stride(2);
        // 16-bit caches are read in split order (see SplitOrder): q, and acc below, follow
        boolean split = keys.dtype() != DType.F32;
        for (int i = 0; i < d; i++) {
            qv[split ? SplitOrder.index(i, d) : i] = qs.get(Lanes.F32_LE, (qa + i * qi) * 4) * scale;
        }
        int g = h / group;
        java.util.Arrays.fill(acc, 0, dv, 0f);
        float max = Float.NEGATIVE_INFINITY;   // running over the tiles so far
        float sum = 0;
        for (int tf = first; tf <= last; tf += tile) {
            int tl = Math.min(last, tf + tile - 1);
            int n = tl - tf + 1;
            // pass 1: scores of the tile's keys, a run of consecutive rows of one block at a time
            for (int j = tf; j <= tl; ) {
                int row = j % blockSize;
                int run = Math.min(blockSize - row, tl - j + 1);
                long ka = keys.offset() + bt.block(j / blockSize) * keys.stride(0) + row * keys.stride(1) + g * keys.stride(2);
                scoreRun(keys.dtype(), keys.base(), ka, keys.stride(1), run, qv, d, scores, j - tf, s.row);
                j += run;
            }
            // soft-cap, max, exp and sum written out here rather than in small helpers: a helper compiled on
            // its own may sit in C1 code (which boxes every vector) long after this method reached C2
            int nv = F.loopBound(n);
            if (softcap > 0) {
                for (int j = 0; j < nv; j += L) {
                    FloatVector.fromArray(F, scores, j).div(softcap).lanewise(VectorOperators.TANH).mul(softcap).intoArray(scores, j);
                }
                for (int j = nv; j < n; j++) {
                    scores[j] = (float) (softcap * Math.tanh(scores[j] / softcap));
                }
            }
            if (bias != null) {                 // prefill only: bias[h, t, j]
                MemorySegment bs = bias.base();
                long ba = bias.offset() + h * bias.stride(0) + t * bias.stride(1) + tf * bias.stride(2);
                long bj = bias.stride(2);
                for (int j = 0; j < n; j++) {
                    scores[j] += bs.get(Lanes.F32_LE, (ba + j * bj) * 4);
                }
            }
            FloatVector maxv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
            for (int j = 0; j < nv; j += L) {
                maxv = maxv.max(FloatVector.fromArray(F, scores, j));
            }
            float tileMax = maxv.reduceLanes(VectorOperators.MAX);
            for (int j = nv; j < n; j++) {
                tileMax = Math.max(tileMax, scores[j]);
            }
            if (tileMax > max) {
                if (tf != first) {          // rescale what earlier tiles summed to the new max
                    // exp as the vector EXP of the loops below (not Math.exp): paged_attention.c calls the same
                    float c = FloatVector.broadcast(F, max - tileMax).lanewise(VectorOperators.EXP).lane(0);
                    sum *= c;
                    for (int i = 0; i < dv; i++) {
                        acc[i] *= c;
                    }
                }
                max = tileMax;
            }
            FloatVector sumv = FloatVector.zero(F);
            for (int j = 0; j < nv; j += L) {
                FloatVector e = FloatVector.fromArray(F, scores, j).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(scores, j);
                sumv = sumv.add(e);
            }
            float tileSum = sumv.reduceLanes(VectorOperators.ADD);
            if (nv < n) {                   // the tail by the same vector EXP, masked (the native route's too)
                VectorMask<Float> m = F.indexInRange(nv, n);
                FloatVector.fromArray(F, scores, nv, m).sub(max).lanewise(VectorOperators.EXP).intoArray(scores, nv, m);
                for (int j = nv; j < n; j++) {
                    tileSum += scores[j];
                }
            }
            sum += tileSum;

            // pass 2: the weighted sum of the tile's values
            for (int j = tf; j <= tl; ) {
                int row = j % blockSize;
                int run = Math.min(blockSize - row, tl - j + 1);
                long va = values.offset() + bt.block(j / blockSize) * values.stride(0) + row * values.stride(1) + g * values.stride(2);
                accumulateRun(values.dtype(), values.base(), va, values.stride(1), run, scores, j - tf, acc, dv, s.row);
                j += run;
            }
        }
        float inv = 1f / sum;
        MemorySegment os = out.base();
        long oa = out.offset() + t * out.stride(0) + h * out.stride(1);
        long oi = out.stride(2);
        for (int i = 0; i < dv; i++) {
            os.set(Lanes.F32_LE, (oa + i * oi) * 4, acc[split ? SplitOrder.index(i, dv) : i] * inv);
        }
    }

    /**
     * scores[at + r] = q · key row r, for {@code count} rows {@code rowStride} elements apart from element
     * offset {@code from} of seg (in dtype dt). For BF16 and F16, q is in split order; BF16 rows are read
     * as int lanes (an even element in the low half, the odd one in the high half), F16 rows widened into
     * {@code row} first.
     */
    private static void scoreRun(DType dt, MemorySegment seg, long from, long rowStride, int count, float[] q, int d,
                                 float[] scores, int at, float[] row) {
        int r = 0;
        // four keys per iteration: independent FMA chains and reductions overlap
        if (dt == DType.F32 && d % L == 0) {
            for (; r + 4 <= count; r += 4) {
                long k0 = from + r * rowStride;
                long k1 = k0 + rowStride;
                long k2 = k1 + rowStride;
                long k3 = k2 + rowStride;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int i = 0; i < d; i += L) {
                    FloatVector qv = FloatVector.fromArray(F, q, i);
                    a0 = FloatVector.fromMemorySegment(F, seg, (k0 + i) * 4, LE).fma(qv, a0);
                    a1 = FloatVector.fromMemorySegment(F, seg, (k1 + i) * 4, LE).fma(qv, a1);
                    a2 = FloatVector.fromMemorySegment(F, seg, (k2 + i) * 4, LE).fma(qv, a2);
                    a3 = FloatVector.fromMemorySegment(F, seg, (k3 + i) * 4, LE).fma(qv, a3);
                }
                scores[at + r] = a0.reduceLanes(VectorOperators.ADD);
                scores[at + r + 1] = a1.reduceLanes(VectorOperators.ADD);
                scores[at + r + 2] = a2.reduceLanes(VectorOperators.ADD);
                scores[at + r + 3] = a3.reduceLanes(VectorOperators.ADD);
            }
        } else if (dt == DType.BF16 && d % (2 * L) == 0) {
            int pairs = d / 2;
            for (; r + 4 <= count; r += 4) {
                long k0 = from + r * rowStride;
                long k1 = k0 + rowStride;
                long k2 = k1 + rowStride;
                long k3 = k2 + rowStride;
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
                for (int j = 0; j < pairs; j += L) {
                    FloatVector even = FloatVector.fromArray(F, q, j);
                    FloatVector odd = FloatVector.fromArray(F, q, pairs + j);
                    IntVector w0 = IntVector.fromMemorySegment(I, seg, (k0 + 2L * j) * 2, LE);
                    IntVector w1 = IntVector.fromMemorySegment(I, seg, (k1 + 2L * j) * 2, LE);
                    IntVector w2 = IntVector.fromMemorySegment(I, seg, (k2 + 2L * j) * 2, LE);
                    IntVector w3 = IntVector.fromMemorySegment(I, seg, (k3 + 2L * j) * 2, LE);
                    a0 = w0.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a0);
                    a1 = w1.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a1);
                    a2 = w2.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a2);
                    a3 = w3.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a3);
                    a0 = w0.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a0);
                    a1 = w1.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a1);
                    a2 = w2.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a2);
                    a3 = w3.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a3);
                }
                scores[at + r] = a0.reduceLanes(VectorOperators.ADD);
                scores[at + r + 1] = a1.reduceLanes(VectorOperators.ADD);
                scores[at + r + 2] = a2.reduceLanes(VectorOperators.ADD);
                scores[at + r + 3] = a3.reduceLanes(VectorOperators.ADD);
            }
        }
        if (r < count) {
            scoreRows(dt, seg, from + r * rowStride, rowStride, count - r, q, d, scores, at + r, row);
        }
    }

    /** {@link #scoreRun} one key at a time, for any head dim: the tail of a run, and odd head dims. */
    private static void scoreRows(DType dt, MemorySegment seg, long from, long rowStride, int count, float[] q, int d,
                                  float[] scores, int at, float[] row) {
        int dv = F.loopBound(d);
        int pairs = d / 2;
        int pv = F.loopBound(pairs);
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
                    for (int j = 0; j < pv; j += L) {
                        IntVector w = IntVector.fromMemorySegment(I, seg, (ka + 2L * j) * 2, LE);
                        acc = w.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, q, j), acc);
                        acc = w.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, q, pairs + j), acc);
                    }
                    for (int j = pv; j < pairs; j++) {
                        sum += q[j] * Lanes.read(dt, seg, ka + 2L * j) + q[pairs + j] * Lanes.read(dt, seg, ka + 2L * j + 1);
                    }
                    if ((d & 1) != 0) {
                        sum += q[d - 1] * Lanes.read(dt, seg, ka + d - 1);
                    }
                }
                default -> {
                    SplitOrder.widen(dt, seg, ka, d, row, 0);
                    for (int i = 0; i < dv; i += L) {
                        acc = FloatVector.fromArray(F, q, i).fma(FloatVector.fromArray(F, row, i), acc);
                    }
                    for (int i = dv; i < d; i++) {
                        sum += q[i] * row[i];
                    }
                }
            }
            scores[at + r] = sum + acc.reduceLanes(VectorOperators.ADD);
        }
    }

    /**
     * acc += p[at + r] · value row r, for {@code count} rows laid out as in {@link #scoreRun}, acc in the
     * same order as q there. For F32 and BF16 the loop over rows is innermost, so each slice of acc stays
     * in a register across the run.
     */
    private static void accumulateRun(DType dt, MemorySegment seg, long from, long rowStride, int count, float[] p,
                                      int at, float[] acc, int d, float[] row) {
        switch (dt) {
            case F32 -> {
                int dv = F.loopBound(d);
                for (int i = 0; i < dv; i += L) {
                    FloatVector a = FloatVector.fromArray(F, acc, i);
                    for (int r = 0; r < count; r++) {
                        FloatVector v = FloatVector.fromMemorySegment(F, seg, (from + r * rowStride + i) * 4, LE);
                        a = v.fma(FloatVector.broadcast(F, p[at + r]), a);
                    }
                    a.intoArray(acc, i);
                }
                for (int i = dv; i < d; i++) {
                    float a = acc[i];
                    for (int r = 0; r < count; r++) {
                        a += p[at + r] * seg.get(Lanes.F32_LE, (from + r * rowStride + i) * 4);
                    }
                    acc[i] = a;
                }
            }
            case BF16 -> {
                int pairs = d / 2;
                int pv = F.loopBound(pairs);
                for (int j = 0; j < pv; j += L) {
                    FloatVector even = FloatVector.fromArray(F, acc, j);
                    FloatVector odd = FloatVector.fromArray(F, acc, pairs + j);
                    for (int r = 0; r < count; r++) {
                        IntVector w = IntVector.fromMemorySegment(I, seg, (from + r * rowStride + 2L * j) * 2, LE);
                        FloatVector pr = FloatVector.broadcast(F, p[at + r]);
                        even = w.lanewise(LSHL, 16).reinterpretAsFloats().fma(pr, even);
                        odd = w.and(0xFFFF0000).reinterpretAsFloats().fma(pr, odd);
                    }
                    even.intoArray(acc, j);
                    odd.intoArray(acc, pairs + j);
                }
                for (int r = 0; r < count; r++) {
                    long va = from + r * rowStride;
                    float pr = p[at + r];
                    for (int j = pv; j < pairs; j++) {
                        acc[j] += pr * Lanes.read(dt, seg, va + 2L * j);
                        acc[pairs + j] += pr * Lanes.read(dt, seg, va + 2L * j + 1);
                    }
                    if ((d & 1) != 0) {
                        acc[d - 1] += pr * Lanes.read(dt, seg, va + d - 1);
                    }
                }
            }
            default -> {
                int dv = F.loopBound(d);
                for (int r = 0; r < count; r++) {
                    SplitOrder.widen(dt, seg, from + r * rowStride, d, row, 0);
                    FloatVector pv = FloatVector.broadcast(F, p[at + r]);
                    for (int i = 0; i < dv; i += L) {
                        FloatVector.fromArray(F, row, i).fma(pv, FloatVector.fromArray(F, acc, i)).intoArray(acc, i);
                    }
                    for (int i = dv; i < d; i++) {
                        acc[i] += p[at + r] * row[i];
                    }
                }
            }
        }
    }
}
