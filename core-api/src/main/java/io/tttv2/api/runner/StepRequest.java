package io.tttv2.api.runner;

import io.tttv2.api.kv.BlockTable;

/**
 * One sequence's part of a mixed step: a chunk of its prompt, or the one token it decodes.
 *
 * @param tokens      the new tokens; they go to positions {@code table.length() ..}
 * @param table       the sequence's blocks
 * @param wantsLogits whether the logits after the last token are needed (a decode, or the chunk that completes
 *                    a prompt); a chunk in the middle of a prompt needs none and its LM head is skipped
 */
public record StepRequest(int[] tokens, BlockTable table, boolean wantsLogits) {

    public StepRequest {
        if (tokens == null || tokens.length == 0) {
            throw new IllegalArgumentException("step request needs at least one token, found none");
        }
        if (table == null) {
            throw new IllegalArgumentException("step request needs a block table, found none");
        }
    }
}
