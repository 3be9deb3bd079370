package io.tttv2.testing.reference;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.Tensor;

/**
 * Reads one sequence's earlier keys and values out of a paged KV cache: token {@code p} lives in block
 * {@code table.block(p / blockSize)} at row {@code p % blockSize} of {@code keys(layer)} and
 * {@code values(layer)}, each {@code [blocks, blockSize, kvHeads, headDim]}.
 */
final class CachedKeysValues {

    private CachedKeysValues() {
    }

    /** Keys of positions {@code 0 .. count-1}: [count, kvHeads, headDim]. */
    static double[] keys(PagedKvCache cache, int layer, BlockTable table, int count) {
        return read(cache, cache.keys(layer), table, count);
    }

    /** Values of positions {@code 0 .. count-1}: [count, kvHeads, valueDim]. */
    static double[] values(PagedKvCache cache, int layer, BlockTable table, int count) {
        return read(cache, cache.values(layer), table, count);
    }

    private static double[] read(PagedKvCache cache, Tensor stored, BlockTable table, int count) {
        int blockSize = cache.spec().blockSize();
        int kvHeads = stored.dim(2);
        int headDim = stored.dim(3);
        double[] out = new double[count * kvHeads * headDim];
        for (int p = 0; p < count; p++) {
            int block = table.block(p / blockSize);
            int row = p % blockSize;
            for (int h = 0; h < kvHeads; h++) {
                for (int d = 0; d < headDim; d++) {
                    out[(p * kvHeads + h) * headDim + d] = stored.getFloat(block, row, h, d);
                }
            }
        }
        return out;
    }
}
