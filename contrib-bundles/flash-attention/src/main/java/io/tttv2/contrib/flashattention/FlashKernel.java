package io.tttv2.contrib.flashattention;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Flash-style attention over a paged KV cache: queries are taken a tile at a time (up to
 * {@link #QUERY_TILE} consecutive tokens × the {@code group} query heads sharing one KV head); the tile
 * walks the sequence's KV blocks once, loading up to {@link #KEY_TILE} keys and values of that KV head at a
 * time into a per-worker buffer ({@link KvBlockTile}) and folding them into every query's running state with
 * the online softmax ({@link OnlineSoftmax}). No score row as long as the sequence is ever materialised: the
 * memory per query is O(headDim), and each key is read once per tile instead of once per query.
 *
 * <p>Key j of query position p is visible when {@code j ≤ p} (causal; else every written key up to the
 * last query) and {@code j > p - window} (sliding window, if any). Scores are {@code scale · q·k}, soft-capped
 * as {@code cap · tanh(s / cap)} when a cap is set.
 *
 * <p>Work items — (KV head, query tile) for a prefill, (sequence, KV head) for a decode — run on the
 * backend's {@link KernelWorkers}, each worker with its own {@link TileState}, all sized at construction:
 * a call allocates nothing. Calls are serialised (one prefill or decode at a time per backend).
 */
final class FlashKernel {

    /** Tokens of one sequence that share a pass over its keys. */
    static final int QUERY_TILE = 16;
    /** Keys loaded and folded at once: a cache block larger than this is read in several runs. */
    static final int KEY_TILE = 32;

    private final int heads;
    private final int kvHeads;
    private final int group;        // query heads per KV head
    private final int headDim;
    private final AttentionParams params;
    private final KernelWorkers workers;
    private final TileState[] states;   // [workers]
    private final ReentrantLock busy = new ReentrantLock();
    private final PrefillItems prefillItems = new PrefillItems();
    private final DecodeItems decodeItems = new DecodeItems();

    FlashKernel(AttentionBackendSpec spec, KernelWorkers workers) {
        this.heads = spec.heads();
        this.kvHeads = spec.kvHeads();
        this.group = heads / kvHeads;
        this.headDim = spec.headDim();
        this.params = spec.params();
        this.workers = workers;
        this.states = new TileState[workers.parallelism()];
        for (int i = 0; i < states.length; i++) {
            states[i] = new TileState(QUERY_TILE * group, headDim, KEY_TILE);
        }
    }

    /**
     * T queries of one sequence at positions {@code start .. start+T-1}, their keys and values already in
     * the cache. q, out [T, heads, D] F32.
     */
    void prefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start, Tensor out) {
        checkOperands(q, out, cache);
        if (start < 0) {
            throw new IllegalArgumentException("flash attention: prefill start must be ≥ 0, found " + start);
        }
        int tiles = (q.dim(0) + QUERY_TILE - 1) / QUERY_TILE;
        busy.lock();
        try {
            PrefillItems p = prefillItems;
            p.set(q, cache.keys(layer), cache.values(layer), table, start, out, tiles);
            try {
                workers.run(kvHeads * tiles, p);
            } finally {
                p.clear();
            }
        } finally {
            busy.unlock();
        }
    }

    /** One query per sequence: row b at {@code positions[b]} of {@code tables[b]}. q, out [B, heads, D] F32. */
    void decode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out) {
        checkOperands(q, out, cache);
        int b = q.dim(0);
        if (tables.length != b || positions.length != b) {
            throw new IllegalArgumentException("flash attention: decode of " + b + " rows got " + tables.length
                    + " block tables and " + positions.length + " positions");
        }
        for (int i = 0; i < b; i++) {
            if (positions[i] < 0) {
                throw new IllegalArgumentException("flash attention: decode position of row " + i + " is "
                        + positions[i] + ", expected ≥ 0");
            }
        }
        busy.lock();
        try {
            DecodeItems d = decodeItems;
            d.set(q, cache.keys(layer), cache.values(layer), tables, positions, out);
            try {
                workers.run(b * kvHeads, d);
            } finally {
                d.clear();
            }
        } finally {
            busy.unlock();
        }
    }

    /**
     * A prefill's items, the longest first: item i is KV head {@code i % kvHeads} of query tile
     * {@code tiles - 1 - i / kvHeads} (causal tiles further on see more keys, so they start first).
     */
    private final class PrefillItems implements KernelWorkers.Items {
        private Tensor q;           // [T, heads, D]
        private Tensor keys;        // [blocks, blockSize, kvHeads, D]
        private Tensor values;      // [blocks, blockSize, kvHeads, D]
        private BlockTable table;
        private Tensor out;         // [T, heads, D]
        private int start;
        private int tiles;

        void set(Tensor q, Tensor keys, Tensor values, BlockTable table, int start, Tensor out, int tiles) {
            this.q = q;
            this.keys = keys;
            this.values = values;
            this.table = table;
            this.start = start;
            this.out = out;
            this.tiles = tiles;
        }

        void clear() {
            set(null, null, null, null, 0, null, 0);
        }

        @Override
        public void run(int worker, int item) {
            int t = q.dim(0);
            int first = (tiles - 1 - item / kvHeads) * QUERY_TILE;
            attendTile(states[worker], q, out, first, Math.min(QUERY_TILE, t - first), start + first,
                    item % kvHeads, keys, values, table, start + t - 1);
        }
    }

    /** A decode's items: item i is KV head {@code i % kvHeads} of sequence {@code i / kvHeads}. */
    private final class DecodeItems implements KernelWorkers.Items {
        private Tensor q;           // [B, heads, D]
        private Tensor keys;        // [blocks, blockSize, kvHeads, D]
        private Tensor values;      // [blocks, blockSize, kvHeads, D]
        private BlockTable[] tables;    // [B]
        private int[] positions;        // [B]
        private Tensor out;         // [B, heads, D]

        void set(Tensor q, Tensor keys, Tensor values, BlockTable[] tables, int[] positions, Tensor out) {
            this.q = q;
            this.keys = keys;
            this.values = values;
            this.tables = tables;
            this.positions = positions;
            this.out = out;
        }

        void clear() {
            set(null, null, null, null, null, null);
        }

        @Override
        public void run(int worker, int item) {
            int row = item / kvHeads;
            int p = positions[row];
            attendTile(states[worker], q, out, row, 1, p, item % kvHeads, keys, values, tables[row], p);
        }
    }

    /**
     * Rows {@code firstRow .. firstRow+count-1} of q (positions {@code firstPos ..}), the query heads of KV
     * head g, against the keys of {@code table} up to {@code lastKey}.
     */
    private void attendTile(TileState s, Tensor q, Tensor out, int firstRow, int count, int firstPos, int g,
                            Tensor keys, Tensor values, BlockTable table, int lastKey) {
        s.begin(q, firstRow, count, g * group, group, headDim, params.scale());
        KvBlockTile kv = s.kv;
        int blockSize = keys.dim(1);
        int window = params.slidingWindow();
        int lastPos = firstPos + count - 1;
        int hi = params.causal() ? lastPos : lastKey;                   // last key any query of the tile sees
        int lo = window > 0 ? Math.max(0, firstPos - window + 1) : 0;  // first key any query of the tile sees
        for (int from = lo; from <= hi; ) {
            int blockStart = from - from % blockSize;
            int to = Math.min(hi, Math.min(blockStart + blockSize, from + KEY_TILE) - 1);  // within one block
            kv.load(keys, values, table.block(from / blockSize), from - blockStart, to - from + 1, g);
            for (int i = 0; i < count; i++) {
                int p = firstPos + i;
                int keyFrom = window > 0 ? Math.max(from, p - window + 1) : from;
                int keyTo = params.causal() ? Math.min(to, p) : to;
                if (keyFrom > keyTo) {
                    continue;
                }
                for (int h = 0; h < group; h++) {
                    s.softmax.fold(i * group + h, s.q, kv, keyFrom - from, keyTo - keyFrom + 1, params.softcap());
                }
            }
            from = to + 1;
        }
        s.finish(out, firstRow, count, g * group, group, headDim);
    }

    private void checkOperands(Tensor q, Tensor out, PagedKvCache cache) {
        if (q.rank() != 3 || q.dim(1) != heads || q.dim(2) != headDim || out.rank() != 3
                || out.dim(0) != q.dim(0) || out.dim(1) != heads || out.dim(2) != headDim) {
            throw new IllegalArgumentException("flash attention: q " + q + " and out " + out + ", expected [T, "
                    + heads + ", " + headDim + "] both");
        }
        if (q.dtype() != DType.F32 || out.dtype() != DType.F32) {
            throw new IllegalArgumentException("flash attention: q " + q + " and out " + out + " must be F32");
        }
        KvCacheSpec c = cache.spec();
        if (c.kvHeads() != kvHeads || c.keyDim() != headDim || c.valueDim() != headDim) {
            throw new IllegalArgumentException("flash attention: cache of " + c.kvHeads() + " kv heads x keys "
                    + c.keyDim() + " / values " + c.valueDim() + ", expected " + kvHeads + " x " + headDim + " both");
        }
    }
}
