package io.tttv2.models.kit;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.tensor.DType;
import java.util.List;

/**
 * A decoder-only causal LM as the kit builds it: embed (plus learned positions), layers, final norm, LM head.
 * A model bundle computes this from config.json once; everything the kit does — weight-shape checks, the
 * variants each kind must support, the modules, the KV cache — follows from it.
 *
 * @param architecture   HF {@code architectures[0]}, e.g. {@code Gemma2ForCausalLM}
 * @param embedding      {@code model.embed_tokens}
 * @param positions      {@code model.embed_positions} (GPT-2's learned positions), or null
 * @param layers         one plan per layer, in order
 * @param finalNorm      {@code model.norm}
 * @param lmHead         {@code lm_head}
 * @param tiedHead       the LM head reuses the embedding's table
 * @param maxPositions   the context config.json states
 * @param eosTokenIds    tokens that end generation
 * @param parameterDType the dtype HF holds parameters and buffers in ({@code dtype})
 */
public record DecoderPlan(String architecture, EmbeddingSpec embedding, PositionEmbeddingSpec positions,
                          List<LayerPlan> layers, NormSpec finalNorm, LmHeadSpec lmHead, boolean tiedHead,
                          int maxPositions, List<Integer> eosTokenIds, DType parameterDType) {

    public DecoderPlan {
        layers = List.copyOf(layers);
        eosTokenIds = List.copyOf(eosTokenIds);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException(architecture + ": a decoder needs at least one layer");
        }
        KvCacheSpec first = layers.get(0).kvCache(layers.size());
        for (LayerPlan layer : layers) {
            KvCacheSpec other = layer.kvCache(layers.size());
            if (!other.equals(first)) {
                throw new IllegalArgumentException(architecture + ": every layer must cache entries of one shape, found "
                        + shape(first) + " and " + shape(other));
            }
        }
    }

    private static String shape(KvCacheSpec s) {
        return s.kvHeads() + "x(" + s.keyDim() + " + " + s.valueDim() + ")";
    }

    /** What the model caches per token (one block; the runner sizes the pool). */
    public KvCacheSpec kvCache() {
        return layers.get(0).kvCache(layers.size());
    }

    /** Model width. */
    public int hidden() {
        return embedding.hidden();
    }

    /** Logits per token. */
    public int vocab() {
        return lmHead.vocab();
    }
}
