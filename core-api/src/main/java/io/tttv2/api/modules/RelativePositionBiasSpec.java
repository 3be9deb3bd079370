package io.tttv2.api.modules;

/**
 * T5's relative-position bias (HF's {@code T5Attention.compute_bias}): a learned scalar per head and bucket
 * of the distance {@code key position − query position}, added to the attention scores. Weight {@code weight}
 * [numBuckets, heads] (HF's {@code relative_attention_bias}, owned by the first layer of a stack and reused by
 * the others).
 *
 * @param heads         attention heads
 * @param numBuckets    buckets ({@code relative_attention_num_buckets})
 * @param maxDistance   distances from here on share the last bucket ({@code relative_attention_max_distance})
 * @param bidirectional the encoder's buckets (keys before and after the query in separate halves); false for
 *                      the decoder's (keys after the query all in bucket 0, as a causal mask hides them)
 */
public record RelativePositionBiasSpec(int heads, int numBuckets, int maxDistance, boolean bidirectional) {

    public RelativePositionBiasSpec {
        int exact = (bidirectional ? numBuckets / 2 : numBuckets) / 2;
        if (heads <= 0 || exact <= 0 || maxDistance <= exact) {
            throw new IllegalArgumentException("relative position bias needs heads > 0, at least "
                    + (bidirectional ? 4 : 2) + " buckets and a max distance above the exact buckets, found heads "
                    + heads + ", buckets " + numBuckets + ", max distance " + maxDistance);
        }
    }
}
