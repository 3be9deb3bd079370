package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.BiasedAttention;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.CrossAttention;
import io.tttv2.api.modules.CrossAttentionSpec;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.EncoderAttention;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.EncoderLayer;
import io.tttv2.api.modules.EncoderLayerParts;
import io.tttv2.api.modules.EncoderLayerSpec;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Moe;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.ModuleFactories.AttentionBackendFactory;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.ModuleFactories.DecoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.BiasedAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.CrossAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.EmbeddingFactory;
import io.tttv2.api.modules.ModuleFactories.LatentAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.RelativePositionBiasFactory;
import io.tttv2.api.modules.ModuleFactories.EncoderAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.EncoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.PoolerFactory;
import io.tttv2.api.modules.ModuleFactories.LmHeadFactory;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.MoeFactory;
import io.tttv2.api.modules.ModuleFactories.RouterFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.ModuleFactories.PositionEmbeddingFactory;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PositionEmbedding;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.modules.Pooler;
import io.tttv2.api.modules.PoolerSpec;
import io.tttv2.api.modules.RelativePositionBias;
import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.Router;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.testing.validation.ValidationRegistry;

/**
 * Factories of the same type as the ones they wrap: each creates the real module and hands out its
 * validating wrapper. One small record per factory type, chosen by {@link #wrap} from the kind table.
 */
public final class ValidatingFactories {

    private ValidatingFactories() {
    }

    /** Marks a factory that already validates, so that it is not wrapped twice. */
    public interface ValidatingFactory {
    }

    /**
     * {@code factory} — an implementation of {@code kind}'s {@link ModuleKind#serviceType()} — wrapped if this
     * bundle validates that kind, else {@code factory} itself. The switch covers the kind table without a
     * default, so a new kind does not compile here until it is decided whether and how it is validated.
     */
    public static Object wrap(ModuleKind kind, Object factory, ValidationRegistry registry) {
        if (factory instanceof ValidatingFactory) {
            return factory;
        }
        return switch (kind) {
            case ATTENTION -> new Attentions((AttentionFactory) factory, registry);
            case LATENT_ATTENTION -> new LatentAttentions((LatentAttentionFactory) factory, registry);
            case ATTENTION_BACKEND -> new AttentionBackends((AttentionBackendFactory) factory, registry);
            case MLP -> new Mlps((MlpFactory) factory, registry);
            case ROUTER -> new Routers((RouterFactory) factory, registry);
            case MOE -> new Moes((MoeFactory) factory, registry);
            case NORM -> new Norms((NormFactory) factory, registry);
            case ROTARY -> new Rotaries((RotaryFactory) factory, registry);
            case EMBEDDING -> new Embeddings((EmbeddingFactory) factory, registry);
            case POSITION_EMBEDDING -> new PositionEmbeddings((PositionEmbeddingFactory) factory, registry);
            case LM_HEAD -> new LmHeads((LmHeadFactory) factory, registry);
            case DECODER_LAYER -> new DecoderLayers((DecoderLayerFactory) factory, registry);
            case ENCODER_ATTENTION -> new EncoderAttentions((EncoderAttentionFactory) factory, registry);
            case ENCODER_LAYER -> new EncoderLayers((EncoderLayerFactory) factory, registry);
            case POOLER -> new Poolers((PoolerFactory) factory, registry);
            case RELATIVE_POSITION_BIAS -> new RelativePositionBiases((RelativePositionBiasFactory) factory, registry);
            case CROSS_ATTENTION -> new CrossAttentions((CrossAttentionFactory) factory, registry);
            case BIASED_ATTENTION -> new BiasedAttentions((BiasedAttentionFactory) factory, registry);
            case DEVICE, MODEL -> factory;      // the op library and whole models: no module reference to compare
        };
    }

    record Norms(NormFactory target, ValidationRegistry registry) implements NormFactory, ValidatingFactory {
        @Override
        public Norm create(NormSpec spec, Weights weights, Device device) {
            return new ValidatingNorm(target.create(spec, weights, device), spec, weights, registry);
        }
    }

    record Rotaries(RotaryFactory target, ValidationRegistry registry) implements RotaryFactory, ValidatingFactory {
        @Override
        public Rotary create(RotarySpec spec, Device device) {
            return new ValidatingRotary(target.create(spec, device), spec, registry);
        }
    }

    record Attentions(AttentionFactory target, ValidationRegistry registry) implements AttentionFactory, ValidatingFactory {
        @Override
        public Attention create(AttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary,
                                AttentionBackend backend, int layer, Device device) {
            return ValidatingAttention.standard(target.create(spec, config, weights, rotary, backend, layer, device), spec,
                    weights, rotary, backend, layer, registry);
        }
    }

    record LatentAttentions(LatentAttentionFactory target, ValidationRegistry registry)
            implements LatentAttentionFactory, ValidatingFactory {
        @Override
        public Attention create(LatentAttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary,
                                AttentionBackend backend, int layer, Device device) {
            return ValidatingAttention.latent(target.create(spec, config, weights, rotary, backend, layer, device),
                    spec, weights, rotary, backend, layer, registry);
        }
    }

    record AttentionBackends(AttentionBackendFactory target, ValidationRegistry registry)
            implements AttentionBackendFactory, ValidatingFactory {
        @Override
        public AttentionBackend create(AttentionBackendSpec spec, ModuleConfig config, Device device) {
            return new ValidatingAttentionBackend(target.create(spec, config, device), spec, registry);
        }
    }

    record Mlps(MlpFactory target, ValidationRegistry registry) implements MlpFactory, ValidatingFactory {
        @Override
        public Mlp create(MlpSpec spec, ModuleConfig config, Weights weights, Device device) {
            return new ValidatingMlp(target.create(spec, config, weights, device), spec, weights, registry);
        }
    }

    record Routers(RouterFactory target, ValidationRegistry registry) implements RouterFactory, ValidatingFactory {
        @Override
        public Router create(RouterSpec spec, ModuleConfig config, Weights weights, Device device) {
            return new ValidatingRouter(target.create(spec, config, weights, device), spec, weights, registry);
        }
    }

    record Moes(MoeFactory target, ValidationRegistry registry) implements MoeFactory, ValidatingFactory {
        @Override
        public Moe create(MoeSpec spec, ModuleConfig config, Weights weights, Router router, Mlp shared,
                          Device device) {
            return new ValidatingMoe(target.create(spec, config, weights, router, shared, device), spec, weights,
                    router, shared, registry);
        }
    }

    record Embeddings(EmbeddingFactory target, ValidationRegistry registry) implements EmbeddingFactory, ValidatingFactory {
        @Override
        public Embedding create(EmbeddingSpec spec, Weights weights, Device device) {
            return new ValidatingEmbedding(target.create(spec, weights, device), spec, weights, registry);
        }
    }

    record PositionEmbeddings(PositionEmbeddingFactory target, ValidationRegistry registry)
            implements PositionEmbeddingFactory, ValidatingFactory {
        @Override
        public PositionEmbedding create(PositionEmbeddingSpec spec, ModuleConfig config, Weights weights,
                                        Device device) {
            return new ValidatingPositionEmbedding(target.create(spec, config, weights, device), spec, weights,
                    registry);
        }
    }

    record LmHeads(LmHeadFactory target, ValidationRegistry registry) implements LmHeadFactory, ValidatingFactory {
        @Override
        public LmHead create(LmHeadSpec spec, ModuleConfig config, Weights weights, Device device) {
            return new ValidatingLmHead(target.create(spec, config, weights, device), spec, weights, registry);
        }
    }

    record DecoderLayers(DecoderLayerFactory target, ValidationRegistry registry)
            implements DecoderLayerFactory, ValidatingFactory {
        @Override
        public DecoderLayer create(DecoderLayerSpec spec, ModuleConfig config, DecoderLayerParts parts, Device device) {
            return new ValidatingDecoderLayer(target.create(spec, config, parts, device), spec, parts, registry);
        }
    }

    record EncoderAttentions(EncoderAttentionFactory target, ValidationRegistry registry)
            implements EncoderAttentionFactory, ValidatingFactory {
        @Override
        public EncoderAttention create(EncoderAttentionSpec spec, ModuleConfig config, Weights weights, Device device) {
            return new ValidatingEncoderAttention(target.create(spec, config, weights, device), spec, weights, registry);
        }
    }

    record EncoderLayers(EncoderLayerFactory target, ValidationRegistry registry)
            implements EncoderLayerFactory, ValidatingFactory {
        @Override
        public EncoderLayer create(EncoderLayerSpec spec, ModuleConfig config, EncoderLayerParts parts, Device device) {
            return new ValidatingEncoderLayer(target.create(spec, config, parts, device), spec, parts, registry);
        }
    }

    record Poolers(PoolerFactory target, ValidationRegistry registry) implements PoolerFactory, ValidatingFactory {
        @Override
        public Pooler create(PoolerSpec spec, ModuleConfig config, Weights weights, Device device) {
            return new ValidatingPooler(target.create(spec, config, weights, device), spec, weights, registry);
        }
    }

    record RelativePositionBiases(RelativePositionBiasFactory target, ValidationRegistry registry)
            implements RelativePositionBiasFactory, ValidatingFactory {
        @Override
        public RelativePositionBias create(RelativePositionBiasSpec spec, ModuleConfig config, Weights weights,
                                           Device device) {
            return new ValidatingRelativePositionBias(target.create(spec, config, weights, device), spec, weights,
                    registry);
        }
    }

    record CrossAttentions(CrossAttentionFactory target, ValidationRegistry registry)
            implements CrossAttentionFactory, ValidatingFactory {
        @Override
        public CrossAttention create(CrossAttentionSpec spec, ModuleConfig config, Weights weights, Device device) {
            return new ValidatingCrossAttention(target.create(spec, config, weights, device), spec, weights, registry);
        }
    }

    record BiasedAttentions(BiasedAttentionFactory target, ValidationRegistry registry)
            implements BiasedAttentionFactory, ValidatingFactory {
        @Override
        public BiasedAttention create(AttentionSpec spec, ModuleConfig config, Weights weights, int layer,
                                      Device device) {
            return new ValidatingBiasedAttention(target.create(spec, config, weights, layer, device), spec, weights,
                    layer, registry);
        }
    }
}
