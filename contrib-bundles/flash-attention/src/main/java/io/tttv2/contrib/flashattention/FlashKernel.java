package io.tttv2.contrib.flashattention;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.tensor.Tensor;
import java.util.stream.IntStream;

/**
 * Flash-style attention over a paged KV cache: queries are taken a tile at a time (up to
 * {@link #QUERY_TILE} consecutive tokens × the {@code group} query heads sharing one KV head); the tile
 * walks the sequence's KV blocks once, loading each block's keys and values of that KV head into a
 * per-thread buffer ({@link KvBlockTile}) and folding them into every query's running state with the
 * online softmax ({@link OnlineSoftmax}). No score row as long as the sequence is ever materialised: the
 * memory per query is O(headDim), and each KV block is read once per tile instead of once per query.
 *
 * <p>Key j of query position p is visible when {@code j ≤ p} (causal; else every written key up to the
 * last query) and {@code j > p - window} (sliding window, if any). Scores are {@code scale · q·k}, soft-capped
 * as {@code cap · tanh(s / cap)} when a cap is set.
 *
 * <p>Work items — (KV head, query tile) for a prefill, (sequence, KV head) for a decode — run in parallel
 * on the common fork-join pool; each worker's buffers are thread-local, grown on demand.
 */
final class FlashKernel {

    /** Tokens of one sequence that share a pass over its KV blocks. */
    static final int QUERY_TILE = 16;

    private static final ThreadLocal<TileState> STATE = ThreadLocal.withInitial(TileState::new);

    private final int heads;
    private final int kvHeads;
    private final int group;        // query heads per KV head
    private final int headDim;
    private final AttentionParams params;

    FlashKernel(int heads, int kvHeads, int headDim, AttentionParams params) {
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("flash attention: heads " + heads + " not a multiple of kv heads " + kvHeads);
        }
        this.heads = heads;
        this.kvHeads = kvHeads;
        this.group = heads / kvHeads;
        this.headDim = headDim;
        this.params = params;
    }

    /**
     * T queries of one sequence at positions {@code start .. start+T-1}, their keys and values already in
     * the cache. q, out [T, heads, D] F32.
     */
    void prefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start, Tensor out) {
        checkOperands(q, out, cache);
        int t = q.dim(0);
        int tiles = (t + QUERY_TILE - 1) / QUERY_TILE;
        int lastKey = start + t - 1;
        run(kvHeads * tiles, item -> {
            int g = item % kvHeads;
            int first = (item / kvHeads) * QUERY_TILE;
            attendTile(q, out, first, Math.min(QUERY_TILE, t - first), start + first, g, cache, layer, table, lastKey);
        });
    }

    /** One query per sequence: row b at {@code positions[b]} of {@code tables[b]}. q, out [B, heads, D] F32. */
    void decode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out) {
        checkOperands(q, out, cache);
        int b = q.dim(0);
        if (tables.length != b || positions.length != b) {
            throw new IllegalArgumentException("flash attention: decode of " + b + " rows got " + tables.length
                    + " block tables and " + positions.length + " positions");
        }
        run(b * kvHeads, item -> {
            int row = item / kvHeads;
            attendTile(q, out, row, 1, positions[row], item % kvHeads, cache, layer, tables[row], positions[row]);
        });
    }

    /**
     * Rows {@code firstRow .. firstRow+count-1} of q (positions {@code firstPos ..}), the query heads of KV
     * head g, against the keys of {@code table} up to {@code lastKey}.
     */
    private void attendTile(Tensor q, Tensor out, int firstRow, int count, int firstPos, int g, PagedKvCache cache,
                            int layer, BlockTable table, int lastKey) {
        TileState s = STATE.get();
        s.begin(q, firstRow, count, g * group, group, headDim, params.scale());
        KvBlockTile kv = s.kv;
        int blockSize = cache.spec().blockSize();
        int lastPos = firstPos + count - 1;
        int hi = params.causal() ? lastPos : lastKey;                      // last key any query of the tile sees
        int lo = params.slidingWindow() > 0 ? Math.max(0, firstPos - params.slidingWindow() + 1) : 0;
        for (int block = lo / blockSize; block <= hi / blockSize; block++) {
            int blockStart = block * blockSize;
            int from = Math.max(lo, blockStart);
            int to = Math.min(hi, blockStart + blockSize - 1);
            kv.load(cache.keys(layer), cache.values(layer), table.block(block), from - blockStart, to - from + 1, g, headDim);
            for (int i = 0; i < count; i++) {
                int p = firstPos + i;
                int keyFrom = params.slidingWindow() > 0 ? Math.max(from, p - params.slidingWindow() + 1) : from;
                int keyTo = params.causal() ? Math.min(to, p) : to;
                if (keyFrom > keyTo) {
                    continue;
                }
                for (int h = 0; h < group; h++) {
                    s.softmax.fold(i * group + h, s.q, kv, keyFrom - from, keyTo - keyFrom + 1, params.softcap());
                }
            }
        }
        s.finish(out, firstRow, count, g * group, group, headDim);
    }

    private void checkOperands(Tensor q, Tensor out, PagedKvCache cache) {
        if (q.rank() != 3 || q.dim(1) != heads || q.dim(2) != headDim || out.rank() != 3
                || out.dim(0) != q.dim(0) || out.dim(1) != heads || out.dim(2) != headDim) {
            throw new IllegalArgumentException("flash attention: q " + q + " and out " + out + ", expected [T, "
                    + heads + ", " + headDim + "] both");
        }
        if (cache.spec().kvHeads() != kvHeads || cache.spec().headDim() != headDim) {
            throw new IllegalArgumentException("flash attention: cache of " + cache.spec().kvHeads() + " kv heads x "
                    + cache.spec().headDim() + ", expected " + kvHeads + " x " + headDim);
        }
    }

    /** Runs {@code items} work items, in parallel when there is more than one. */
    private static void run(int items, java.util.function.IntConsumer body) {
        if (items == 1) {
            body.accept(0);
        } else {
            IntStream.range(0, items).parallel().forEach(body);
        }
    }
}
