package io.tttv2.api.modules;

import io.tttv2.api.ops.Device;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The factories implementations register as OSGi services (with the candidate's name, version and tier as
 * service properties, see {@code io.tttv2.api.candidate.CandidateNamespace}). A model asks the registry for
 * one per module kind and never names an implementation class.
 */
public final class ModuleFactories {

    private ModuleFactories() {
    }

    @ConsumerType
    public interface NormFactory {
        Norm create(NormSpec spec, Weights weights, Device device);
    }

    @ConsumerType
    public interface RotaryFactory {
        Rotary create(RotarySpec spec, Device device);
    }

    @ConsumerType
    public interface AttentionFactory {
        /**
         * weights: q_proj, k_proj, v_proj, o_proj (+ q_norm, k_norm); rotary: null for attention without
         * rotary positions (GPT-2); backend: computes softmax(QKᵀ)V over the cache; layer: the KV cache layer.
         */
        Attention create(AttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary,
                         AttentionBackend backend, int layer, Device device);
    }

    @ConsumerType
    public interface LatentAttentionFactory {
        /**
         * weights: see {@link LatentAttentionSpec}; rotary: of {@code qkRopeHeadDim}, applied to the decoupled
         * query and key parts; backend: attends over the cached latent entries; layer: the KV cache layer.
         */
        Attention create(LatentAttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary,
                         AttentionBackend backend, int layer, Device device);
    }

    @ConsumerType
    public interface AttentionBackendFactory {
        AttentionBackend create(AttentionBackendSpec spec, ModuleConfig config, Device device);
    }

    @ConsumerType
    public interface MlpFactory {
        Mlp create(MlpSpec spec, ModuleConfig config, Weights weights, Device device);
    }

    @ConsumerType
    public interface RouterFactory {
        /** weights: {@code weight} [experts, hidden] (+ {@code e_score_correction_bias} [experts]). */
        Router create(RouterSpec spec, ModuleConfig config, Weights weights, Device device);
    }

    @ConsumerType
    public interface MoeFactory {
        /**
         * weights: the layer's {@code mlp} (see {@link MoeSpec}); router: picks the experts; shared: the shared
         * expert (built from {@code spec.shared()}), or null when the spec has none.
         */
        Moe create(MoeSpec spec, ModuleConfig config, Weights weights, Router router, Mlp shared, Device device);
    }

    @ConsumerType
    public interface EmbeddingFactory {
        Embedding create(EmbeddingSpec spec, Weights weights, Device device);
    }

    @ConsumerType
    public interface PositionEmbeddingFactory {
        /** weights: {@code weight} [maxPositions, hidden]. */
        PositionEmbedding create(PositionEmbeddingSpec spec, ModuleConfig config, Weights weights, Device device);
    }

    @ConsumerType
    public interface LmHeadFactory {
        /** weights: {@code weight} [vocab, hidden] (pass the embedding's weights when tied). */
        LmHead create(LmHeadSpec spec, ModuleConfig config, Weights weights, Device device);
    }

    @ConsumerType
    public interface DecoderLayerFactory {
        DecoderLayer create(DecoderLayerSpec spec, ModuleConfig config, DecoderLayerParts parts, Device device);
    }

    @ConsumerType
    public interface EncoderAttentionFactory {
        /** weights: q_proj, k_proj, v_proj, o_proj ({@code .weight}, {@code .bias} where the spec has biases). */
        EncoderAttention create(EncoderAttentionSpec spec, ModuleConfig config, Weights weights, Device device);
    }

    @ConsumerType
    public interface EncoderLayerFactory {
        EncoderLayer create(EncoderLayerSpec spec, ModuleConfig config, EncoderLayerParts parts, Device device);
    }

    @ConsumerType
    public interface PoolerFactory {
        /** weights: {@code dense.weight} [hidden, hidden], {@code dense.bias} [hidden]. */
        Pooler create(PoolerSpec spec, ModuleConfig config, Weights weights, Device device);
    }

    @ConsumerType
    public interface RelativePositionBiasFactory {
        /** weights: {@code weight} [numBuckets, heads] (HF's {@code relative_attention_bias.weight}). */
        RelativePositionBias create(RelativePositionBiasSpec spec, ModuleConfig config, Weights weights, Device device);
    }

    @ConsumerType
    public interface CrossAttentionFactory {
        /** weights: q_proj, k_proj, v_proj, o_proj (HF's T5 {@code EncDecAttention.{q,k,v,o}}). */
        CrossAttention create(CrossAttentionSpec spec, ModuleConfig config, Weights weights, Device device);
    }

    @ConsumerType
    public interface BiasedAttentionFactory {
        /** weights: q_proj, k_proj, v_proj, o_proj; layer: the KV cache layer. No rotary, no q/k norm. */
        BiasedAttention create(AttentionSpec spec, ModuleConfig config, Weights weights, int layer, Device device);
    }
}
