package io.tttv2.api.modules;

/**
 * Multi-head attention with grouped keys and values (MHA when kvHeads == heads, MQA when 1). Weight
 * names: {@code q_proj, k_proj, v_proj, o_proj} ({@code .weight}, {@code .bias}); q/k norms
 * {@code q_norm.weight, k_norm.weight}.
 *
 * @param hidden        model width
 * @param heads         query heads
 * @param kvHeads       key/value heads (divides heads)
 * @param headDim       elements per head
 * @param qkvBias       q/k/v projections have biases (Qwen2)
 * @param outputBias    o_proj has a bias
 * @param qkNorm        normalisation of queries and keys before RoPE
 * @param qkNormSpec    the q/k norm's spec (dim = headDim for PER_HEAD, heads·headDim for FULL), or null
 * @param slidingWindow 0 for full attention, else the window in tokens
 * @param softcap       0 for none, else attention logits are soft-capped (Gemma 2)
 * @param scaling       multiplies q·k: headDim^-0.5 unless the model says otherwise
 */
public record AttentionSpec(int hidden, int heads, int kvHeads, int headDim, boolean qkvBias, boolean outputBias,
                            QkNorm qkNorm, NormSpec qkNormSpec, int slidingWindow, float softcap, float scaling) {

    public enum QkNorm { NONE, PER_HEAD, FULL }

    public AttentionSpec {
        if (hidden <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || heads % kvHeads != 0) {
            throw new IllegalArgumentException("attention needs positive dims and heads divisible by kv heads, found hidden "
                    + hidden + ", heads " + heads + ", kv heads " + kvHeads + ", head dim " + headDim);
        }
        if ((qkNorm == QkNorm.NONE) != (qkNormSpec == null)) {
            throw new IllegalArgumentException("q/k norm " + qkNorm + " needs a norm spec exactly when not NONE");
        }
    }

    /** Llama-style attention: no biases, no q/k norm, full window, no soft-cap, headDim^-0.5. */
    public static AttentionSpec of(int hidden, int heads, int kvHeads, int headDim) {
        return new AttentionSpec(hidden, heads, kvHeads, headDim, false, false, QkNorm.NONE, null, 0, 0f,
                (float) (1.0 / Math.sqrt(headDim)));
    }
}
