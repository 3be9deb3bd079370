package io.tttv2.models.kit;

import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.EncoderLayerSpec.EncoderResidual;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;

/**
 * One encoder layer: how it is wired and what each part is. Kit weight names under {@code encoder.layers.N}:
 * {@code self_attn.{q,k,v,o}_proj}, {@code attention_norm}, {@code mlp.{gate,up,down}_proj}, {@code mlp_norm}.
 *
 * @param pattern       where the norms sit (BERT: after each residual sum; T5: before each block)
 * @param attention     the self-attention
 * @param attentionNorm the norm of the attention block
 * @param mlp           the feed-forward block
 * @param mlpNorm       the norm of the feed-forward block
 */
public record EncoderLayerPlan(EncoderResidual pattern, EncoderAttentionSpec attention, NormSpec attentionNorm,
                               MlpSpec mlp, NormSpec mlpNorm) {
}
