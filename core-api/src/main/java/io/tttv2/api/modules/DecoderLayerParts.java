package io.tttv2.api.modules;

/**
 * The parts a decoder layer is built from, by HuggingFace's names. Which norms are needed depends on the
 * {@link DecoderLayerSpec.ResidualPattern}; the others are null.
 *
 * @param inputNorm             {@code input_layernorm} (PRE_NORM, PRE_AND_POST_NORM, PARALLEL)
 * @param attention             {@code self_attn}
 * @param postAttentionNorm     {@code post_attention_layernorm}
 * @param preFeedforwardNorm    {@code pre_feedforward_layernorm} (PRE_AND_POST_NORM)
 * @param postFeedforwardNorm   {@code post_feedforward_layernorm} (PRE_AND_POST_NORM, POST_NORM)
 * @param mlp                   {@code mlp}
 */
public record DecoderLayerParts(Norm inputNorm, Attention attention, Norm postAttentionNorm,
                                Norm preFeedforwardNorm, Norm postFeedforwardNorm, Mlp mlp) {
}
