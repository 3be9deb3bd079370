package io.tttv2.models.kit;

import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleFactories.AttentionBackendFactory;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.ModuleFactories.DecoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.EmbeddingFactory;
import io.tttv2.api.modules.ModuleFactories.LatentAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.EncoderAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.EncoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.LmHeadFactory;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.MoeFactory;
import io.tttv2.api.modules.ModuleFactories.RouterFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.ModuleFactories.BiasedAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.CrossAttentionFactory;
import io.tttv2.api.modules.ModuleFactories.PoolerFactory;
import io.tttv2.api.modules.ModuleFactories.RelativePositionBiasFactory;
import io.tttv2.api.modules.ModuleFactories.PositionEmbeddingFactory;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.api.ops.Device;

/**
 * The module implementations one resolution chose, typed, and the runner's device. A kind the model does not
 * use (a rotary for GPT-2, learned positions for Llama) was not resolved; asking for it is a programming error.
 */
public final class ModuleFactorySet {

    private final Resolution resolution;
    private final Device device;

    public ModuleFactorySet(Resolution resolution, Device device) {
        this.resolution = resolution;
        this.device = device;
    }

    /** The resolution the factories come from (which candidate, of which version, each kind binds). */
    public Resolution resolution() {
        return resolution;
    }

    public NormFactory norm() {
        return get(ModuleKind.NORM, NormFactory.class);
    }

    public RotaryFactory rotary() {
        return get(ModuleKind.ROTARY, RotaryFactory.class);
    }

    public AttentionFactory attention() {
        return get(ModuleKind.ATTENTION, AttentionFactory.class);
    }

    public LatentAttentionFactory latentAttention() {
        return get(ModuleKind.LATENT_ATTENTION, LatentAttentionFactory.class);
    }

    public AttentionBackendFactory attentionBackend() {
        return get(ModuleKind.ATTENTION_BACKEND, AttentionBackendFactory.class);
    }

    public MlpFactory mlp() {
        return get(ModuleKind.MLP, MlpFactory.class);
    }

    public RouterFactory router() {
        return get(ModuleKind.ROUTER, RouterFactory.class);
    }

    public MoeFactory moe() {
        return get(ModuleKind.MOE, MoeFactory.class);
    }

    public EmbeddingFactory embedding() {
        return get(ModuleKind.EMBEDDING, EmbeddingFactory.class);
    }

    public PositionEmbeddingFactory positionEmbedding() {
        return get(ModuleKind.POSITION_EMBEDDING, PositionEmbeddingFactory.class);
    }

    public LmHeadFactory lmHead() {
        return get(ModuleKind.LM_HEAD, LmHeadFactory.class);
    }

    public DecoderLayerFactory decoderLayer() {
        return get(ModuleKind.DECODER_LAYER, DecoderLayerFactory.class);
    }

    public EncoderAttentionFactory encoderAttention() {
        return get(ModuleKind.ENCODER_ATTENTION, EncoderAttentionFactory.class);
    }

    public EncoderLayerFactory encoderLayer() {
        return get(ModuleKind.ENCODER_LAYER, EncoderLayerFactory.class);
    }

    public PoolerFactory pooler() {
        return get(ModuleKind.POOLER, PoolerFactory.class);
    }

    public RelativePositionBiasFactory relativePositionBias() {
        return get(ModuleKind.RELATIVE_POSITION_BIAS, RelativePositionBiasFactory.class);
    }

    public CrossAttentionFactory crossAttention() {
        return get(ModuleKind.CROSS_ATTENTION, CrossAttentionFactory.class);
    }

    public BiasedAttentionFactory biasedAttention() {
        return get(ModuleKind.BIASED_ATTENTION, BiasedAttentionFactory.class);
    }

    /** The runner's device, fixed for its life (its memory holds the KV cache). */
    public Device device() {
        return device;
    }

    private <F> F get(ModuleKind kind, Class<F> type) {
        return resolution.factory(kind, type);
    }
}
