package io.tttv2.models.kit;

import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PoolerSpec;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.tensor.DType;
import java.util.List;

/**
 * A bidirectional encoder as the kit builds it (BERT and its relatives; T5's encoder stack): embed (plus token
 * types and learned positions, then a norm), layers over the padded batch, an optional final norm, an optional
 * pooler, an optional masked-language-model head. Like {@link DecoderPlan}, computed from config.json once by a model bundle.
 *
 * @param architecture   HF {@code architectures[0]}, e.g. {@code BertModel}
 * @param embedding      {@code encoder.embed_tokens}
 * @param tokenTypes     {@code encoder.embed_token_types} (BERT's segment embeddings, vocab = type_vocab_size), or null
 * @param positions      {@code encoder.embed_positions} (learned, positions 0..T-1), or null
 * @param relativeBias   {@code encoder.relative_attention_bias}: T5's bucketed bias added to every layer's scores,
 *                       computed once per batch, or null
 * @param embeddingNorm  {@code encoder.embed_norm}, applied to the summed embeddings, or null
 * @param layers         one plan per layer, in order
 * @param finalNorm      {@code encoder.norm} after the last layer, or null (BERT's layers end in their own norm)
 * @param pooler         {@code pooler}: dense + tanh on the first token, or null
 * @param maxPositions   the longest sequence (config.json's {@code max_position_embeddings})
 * @param parameterDType the dtype HF holds parameters in
 * @param maskedLmHead   BERT's {@code cls.predictions} head giving logits [B, T, vocab], or null
 */
public record EncoderPlan(String architecture, EmbeddingSpec embedding, EmbeddingSpec tokenTypes,
                          PositionEmbeddingSpec positions, RelativePositionBiasSpec relativeBias, NormSpec embeddingNorm, List<EncoderLayerPlan> layers,
                          NormSpec finalNorm, PoolerSpec pooler, int maxPositions, DType parameterDType,
                          MaskedLmHeadPlan maskedLmHead) {

    public EncoderPlan {
        layers = List.copyOf(layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(architecture + ": an encoder needs at least one layer");
        }
        if (maxPositions <= 0) {
            throw new IllegalArgumentException(architecture + ": max_position_embeddings must be positive, found " + maxPositions);
        }
    }

    /** Model width. */
    public int hidden() {
        return embedding.hidden();
    }
}
