package io.tttv2.api.runner;

/**
 * A padded batch for an encoder: B sequences of T tokens each, shorter ones padded (HF's {@code input_ids},
 * {@code token_type_ids} and {@code attention_mask}).
 *
 * @param inputIds      [B][T] token ids (any id at padded positions)
 * @param tokenTypeIds  [B][T] segment of each token (0 for the first text of a pair, 1 for the second), or null for all 0
 * @param attentionMask [B][T] 1 for a real token, 0 for padding, or null for no padding
 */
public record EncoderBatch(int[][] inputIds, int[][] tokenTypeIds, int[][] attentionMask) {

    public EncoderBatch {
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("an encoder batch needs at least one sequence");
        }
        int length = inputIds[0].length;
        for (int b = 0; b < inputIds.length; b++) {
            if (inputIds[b].length != length) {
                throw new IllegalArgumentException("sequence " + b + " has " + inputIds[b].length
                        + " tokens, expected " + length + " (pad the batch to one length)");
            }
            if (tokenTypeIds != null && tokenTypeIds[b].length != length) {
                throw new IllegalArgumentException("token_type_ids of sequence " + b + " has " + tokenTypeIds[b].length
                        + " entries, expected " + length);
            }
            if (attentionMask != null && attentionMask[b].length != length) {
                throw new IllegalArgumentException("attention_mask of sequence " + b + " has " + attentionMask[b].length
                        + " entries, expected " + length);
            }
        }
        if (tokenTypeIds != null && tokenTypeIds.length != inputIds.length
                || attentionMask != null && attentionMask.length != inputIds.length) {
            throw new IllegalArgumentException("token_type_ids and attention_mask need one row per sequence ("
                    + inputIds.length + ")");
        }
    }

    /** Sequences B. */
    public int batch() {
        return inputIds.length;
    }

    /** Padded length T. */
    public int length() {
        return inputIds[0].length;
    }

    /** The unpadded length of sequence {@code b}: its count of unmasked tokens. */
    public int realLength(int b) {
        if (attentionMask == null) {
            return length();
        }
        int n = 0;
        for (int m : attentionMask[b]) {
            n += m != 0 ? 1 : 0;
        }
        return n;
    }
}
