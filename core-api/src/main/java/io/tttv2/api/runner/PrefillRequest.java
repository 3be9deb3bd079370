package io.tttv2.api.runner;

import io.tttv2.api.kv.BlockTable;

/**
 * One prompt (or the next chunk of a conversation) to prefill.
 *
 * @param tokens   the new tokens
 * @param table    the sequence's blocks; tokens go to positions {@code table.length() ..}
 * @param observer receives intermediate results, or null
 */
public record PrefillRequest(int[] tokens, BlockTable table, ForwardObserver observer) {
}
