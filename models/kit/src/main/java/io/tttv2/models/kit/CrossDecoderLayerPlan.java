package io.tttv2.models.kit;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.CrossAttentionSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;

/**
 * One decoder layer of an encoder–decoder, pre-norm (T5's {@code T5Block} of a decoder):
 * {@code x += self_attn(self_attn_norm(x)); x += cross_attn(cross_attn_norm(x)); x += mlp(mlp_norm(x))}. Kit weight
 * names under {@code decoder.layers.N}: {@code self_attn.{q,k,v,o}_proj}, {@code self_attn_norm},
 * {@code cross_attn.{q,k,v,o}_proj}, {@code cross_attn_norm}, {@code mlp.{gate,up,down}_proj}, {@code mlp_norm}.
 *
 * @param selfAttention      causal self-attention over the paged cache, positions from the stack's bias
 * @param selfAttentionNorm  its norm
 * @param crossAttention     attention over the request's encoder output
 * @param crossAttentionNorm its norm
 * @param mlp                the feed-forward block
 * @param mlpNorm            its norm
 */
public record CrossDecoderLayerPlan(AttentionSpec selfAttention, NormSpec selfAttentionNorm,
                                    CrossAttentionSpec crossAttention, NormSpec crossAttentionNorm,
                                    MlpSpec mlp, NormSpec mlpNorm) {
}
