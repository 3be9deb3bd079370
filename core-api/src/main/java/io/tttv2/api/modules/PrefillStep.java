package io.tttv2.api.modules;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;

/**
 * One sequence's prefill: T tokens at positions {@code start .. start+T-1}, their keys and values to be
 * written to {@code cache} through {@code table} (which must have room for {@code start + T} tokens).
 */
public record PrefillStep(PagedKvCache cache, BlockTable table, int start) {
}
