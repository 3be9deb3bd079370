package io.tttv2.api.modules;

/**
 * A decoder's attention over an encoder's output (HF's T5 {@code EncDecAttention}, BART's
 * {@code encoder_attn}): queries from the decoder's states, keys and values from the encoder's, computed once
 * per request. Weights as {@link AttentionSpec}'s: {@code q_proj} [heads·D, hidden], {@code k_proj, v_proj}
 * [kvHeads·D, encoderHidden], {@code o_proj} [hidden, heads·D] ({@code .bias} where the spec has biases).
 * No rotary, no q/k norm, no window.
 *
 * @param attention     the heads, biases and score scaling (T5: 1, unscaled); hidden is the decoder's width
 * @param encoderHidden the width of the encoder's output
 */
public record CrossAttentionSpec(AttentionSpec attention, int encoderHidden) {

    public CrossAttentionSpec {
        if (attention == null || encoderHidden <= 0) {
            throw new IllegalArgumentException("cross-attention needs an attention spec and encoder width > 0, found "
                    + attention + ", " + encoderHidden);
        }
        if (attention.qkNorm() != AttentionSpec.QkNorm.NONE || attention.slidingWindow() != 0) {
            throw new IllegalArgumentException("cross-attention has no q/k norm and no window, found "
                    + attention.qkNorm() + ", window " + attention.slidingWindow());
        }
    }

    /** Encoder and decoder of the same width (T5). */
    public static CrossAttentionSpec of(AttentionSpec attention) {
        return new CrossAttentionSpec(attention, attention.hidden());
    }
}
