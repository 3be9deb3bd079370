package io.tttv2.api.modules;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;

/**
 * One token for each of B sequences: row b is sequence b's token at {@code positions[b]}; its key and
 * value go to {@code tables[b]} (with room for {@code positions[b] + 1} tokens).
 */
public record DecodeStep(PagedKvCache cache, BlockTable[] tables, int[] positions) {

    public int batch() {
        return positions.length;
    }
}
