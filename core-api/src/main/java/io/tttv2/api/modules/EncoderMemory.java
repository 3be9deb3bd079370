package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;

/**
 * One request's encoder output as a cross-attention reads it: its keys and values, projected once when the
 * request starts ({@link CrossAttention#prepare}) and held by the caller for every decode step.
 *
 * @param keys   [S, kvHeads, D] F32
 * @param values [S, kvHeads, D] F32
 * @param keep   S flags: true for the encoder's real tokens (its padding is never attended); the array is
 *               the memory's own, do not modify it
 */
public record EncoderMemory(Tensor keys, Tensor values, boolean[] keep) {

    public EncoderMemory {
        if (keys == null || values == null || keep == null || keys.rank() != 3
                || !java.util.Arrays.equals(keys.shape(), values.shape()) || keep.length != keys.dim(0)) {
            throw new IllegalArgumentException("encoder memory needs keys and values [S, kvHeads, D] and S flags, found "
                    + keys + ", " + values + ", " + (keep == null ? "no" : keep.length) + " flags");
        }
    }

    /** Encoder tokens S. */
    public int length() {
        return keys.dim(0);
    }
}
