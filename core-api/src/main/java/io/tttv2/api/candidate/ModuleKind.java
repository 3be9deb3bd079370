package io.tttv2.api.candidate;

import io.tttv2.api.modules.ModuleFactories;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.ModelRunnerFactory;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The one table of module kinds: each kind's id (as manifests and the command line spell it) and the service
 * interface its implementations register. The registry tracks these services, the model kit binds them and
 * the testing bundle wraps them — all by iterating or switching over this table, so adding a kind is a change
 * here plus its implementations.
 */
public enum ModuleKind {
    ATTENTION("attention", ModuleFactories.AttentionFactory.class),
    /** Multi-head latent attention (DeepSeek-V2/V3): a compressed latent is cached instead of per-head K/V. */
    LATENT_ATTENTION("latent-attention", ModuleFactories.LatentAttentionFactory.class),
    /** softmax(QKᵀ)V over the paged KV cache, separate from the attention's projections (HF's attention functions). */
    ATTENTION_BACKEND("attention-backend", ModuleFactories.AttentionBackendFactory.class),
    MLP("mlp", ModuleFactories.MlpFactory.class),
    /** Picks the experts of each token in a mixture-of-experts layer. */
    ROUTER("router", ModuleFactories.RouterFactory.class),
    /** A mixture-of-experts feed-forward block (router, routed experts, optional shared expert). */
    MOE("moe", ModuleFactories.MoeFactory.class),
    NORM("norm", ModuleFactories.NormFactory.class),
    ROTARY("rotary", ModuleFactories.RotaryFactory.class),
    EMBEDDING("embedding", ModuleFactories.EmbeddingFactory.class),
    /** Learned absolute positions added to the token embedding (GPT-2's {@code wpe}). */
    POSITION_EMBEDDING("position-embedding", ModuleFactories.PositionEmbeddingFactory.class),
    LM_HEAD("lm-head", ModuleFactories.LmHeadFactory.class),
    DECODER_LAYER("decoder-layer", ModuleFactories.DecoderLayerFactory.class),
    /** Self-attention over a padded batch without a KV cache, with an optional additive bias (BERT, T5's encoder). */
    ENCODER_ATTENTION("encoder-attention", ModuleFactories.EncoderAttentionFactory.class),
    /** An encoder layer: norm-after-residual (BERT) or pre-norm (T5) around attention and feed-forward. */
    ENCODER_LAYER("encoder-layer", ModuleFactories.EncoderLayerFactory.class),
    /** The first token's state through dense + tanh (BERT's pooler). */
    POOLER("pooler", ModuleFactories.PoolerFactory.class),
    /** T5's bucketed relative-position bias, added to the attention scores (computed once per layer stack). */
    RELATIVE_POSITION_BIAS("relative-position-bias", ModuleFactories.RelativePositionBiasFactory.class),
    /** A decoder's attention over its request's encoder output, keys and values computed once per request. */
    CROSS_ATTENTION("cross-attention", ModuleFactories.CrossAttentionFactory.class),
    /** Causal self-attention over the paged KV cache with an additive score bias, no rotary (T5's decoder). */
    BIASED_ATTENTION("biased-attention", ModuleFactories.BiasedAttentionFactory.class),
    /** The op library a model computes with; it also allocates the KV cache. */
    DEVICE("device", Device.class),
    MODEL("model", ModelRunnerFactory.class);

    private final String id;
    private final Class<?> serviceType;

    ModuleKind(String id, Class<?> serviceType) {
        this.id = id;
        this.serviceType = serviceType;
    }

    /** The name used in manifests and on the command line. */
    public String id() {
        return id;
    }

    /** The service interface an implementation of this kind registers, e.g. {@code NormFactory}. */
    public Class<?> serviceType() {
        return serviceType;
    }

    /** True for kinds whose factories create modules (validated against references); false for device and model. */
    public boolean createsModules() {
        return serviceType.getEnclosingClass() == ModuleFactories.class;
    }

    /** The kind named {@code id}; throws naming it and the known kinds if there is none. */
    public static ModuleKind of(String id) {
        for (ModuleKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown module kind '" + id + "', expected one of "
                + Arrays.stream(values()).map(ModuleKind::id).collect(Collectors.joining(", ")));
    }
}
