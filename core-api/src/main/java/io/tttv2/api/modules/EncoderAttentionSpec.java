package io.tttv2.api.modules;

/**
 * Self-attention over a whole padded batch at once, without a KV cache (HF's {@code BertSelfAttention} +
 * {@code BertSelfOutput.dense}, T5's encoder {@code T5Attention}). Weights as {@link AttentionSpec}'s:
 * {@code q_proj, k_proj, v_proj, o_proj} ({@code .weight}, {@code .bias}). No rotary and no q/k norm: the
 * encoders HF runs this way have neither (positions are learned, or a bias added to the scores).
 *
 * @param attention the heads, biases and score scaling (T5: 1, its attention is unscaled); its window and
 *                  soft-cap apply as in the decoder
 * @param causal    a query sees only keys at positions ≤ its own (a decoder run over a whole target without
 *                  a cache, e.g. T5's decoder for scoring); false for encoders
 */
public record EncoderAttentionSpec(AttentionSpec attention, boolean causal) {

    public EncoderAttentionSpec {
        if (attention == null) {
            throw new IllegalArgumentException("encoder attention needs an attention spec, found none");
        }
        if (attention.qkNorm() != AttentionSpec.QkNorm.NONE) {
            throw new IllegalArgumentException("encoder attention has no q/k norm, found " + attention.qkNorm());
        }
    }

    /** Bidirectional attention (BERT, T5's encoder). */
    public static EncoderAttentionSpec bidirectional(AttentionSpec attention) {
        return new EncoderAttentionSpec(attention, false);
    }
}
