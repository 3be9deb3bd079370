package io.tttv2.api.modules;

/**
 * How a decoder layer wires its parts.
 *
 * @param hidden  model width
 * @param pattern the residual pattern
 */
public record DecoderLayerSpec(int hidden, ResidualPattern pattern) {

    public enum ResidualPattern {
        /** {@code x += attn(inputNorm(x)); x += mlp(postAttentionNorm(x))} (Llama, Mistral, Qwen). */
        PRE_NORM,
        /** Gemma 2/3: pre and post norms around both attention and MLP. */
        PRE_AND_POST_NORM,
        /** OLMo 2: norms on the outputs only: {@code x += norm(attn(x)); x += norm(mlp(x))}. */
        POST_NORM,
        /** GPT-NeoX: {@code x += attn(norm1(x)) + mlp(norm2(x))}. */
        PARALLEL
    }
}
