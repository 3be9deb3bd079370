package io.tttv2.api.runner;

import io.tttv2.api.kv.BlockTable;

/**
 * Decoder tokens of an encoder–decoder to prefill for one request.
 *
 * @param tokens   the new decoder tokens (the first prefill starts with the decoder start token)
 * @param table    the sequence's blocks in the decoder's self-attention cache; tokens go to positions {@code table.length() ..}
 * @param encoded  the request's encoded input, attended to by every cross-attention
 * @param observer receives the decoder's intermediate results, or null
 */
public record DecoderRequest(int[] tokens, BlockTable table, EncodedInput encoded, ForwardObserver observer) {
}
