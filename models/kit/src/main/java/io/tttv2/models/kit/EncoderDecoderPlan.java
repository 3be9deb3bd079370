package io.tttv2.models.kit;

import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.tensor.DType;
import java.util.List;

/**
 * An encoder–decoder as the kit builds it (T5): the encoder as an {@link EncoderPlan}, then a decoder of
 * {@link CrossDecoderLayerPlan}s over a paged self-attention cache, whose positions come from a relative-position
 * bias, a final norm, a scale and the LM head.
 *
 * @param architecture        HF {@code architectures[0]}, e.g. {@code T5ForConditionalGeneration}
 * @param encoder             the encoder stack
 * @param embedding           {@code decoder.embed_tokens}
 * @param relativeBias        {@code decoder.relative_attention_bias} (unidirectional buckets)
 * @param layers              one plan per decoder layer
 * @param finalNorm           {@code decoder.norm}
 * @param outputScale         the decoder's output is multiplied by this before the head (T5 with a tied head:
 *                            d_model^-0.5; 1 otherwise)
 * @param lmHead              {@code lm_head}
 * @param tiedHead            the head reuses the embedding's table
 * @param decoderStartTokenId the first decoder token
 * @param maxPositions        the longest decoder sequence the runner is built for
 * @param eosTokenIds         tokens that end generation
 * @param parameterDType      the dtype HF holds parameters in
 */
public record EncoderDecoderPlan(String architecture, EncoderPlan encoder, EmbeddingSpec embedding,
                                 RelativePositionBiasSpec relativeBias, List<CrossDecoderLayerPlan> layers,
                                 NormSpec finalNorm, float outputScale, LmHeadSpec lmHead, boolean tiedHead,
                                 int decoderStartTokenId, int maxPositions, List<Integer> eosTokenIds,
                                 DType parameterDType) {

    public EncoderDecoderPlan {
        layers = List.copyOf(layers);
        eosTokenIds = List.copyOf(eosTokenIds);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(architecture + ": a decoder needs at least one layer");
        }
        int kvHeads = layers.get(0).selfAttention().kvHeads();
        int headDim = layers.get(0).selfAttention().headDim();
        for (CrossDecoderLayerPlan layer : layers) {
            if (layer.selfAttention().kvHeads() != kvHeads || layer.selfAttention().headDim() != headDim) {
                throw new IllegalArgumentException(architecture + ": every decoder layer must cache keys of one shape");
            }
        }
    }

    /** Decoder width. */
    public int hidden() {
        return embedding.hidden();
    }
}
