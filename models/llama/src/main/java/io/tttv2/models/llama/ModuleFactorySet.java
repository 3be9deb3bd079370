package io.tttv2.models.llama;

import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.ModuleFactories.DecoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.EmbeddingFactory;
import io.tttv2.api.modules.ModuleFactories.LmHeadFactory;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.api.ops.Device;

/** The module implementations (services the resolver chose) and the device a model is built from. */
record ModuleFactorySet(NormFactory norm, RotaryFactory rotary, AttentionFactory attention, MlpFactory mlp,
                        EmbeddingFactory embedding, LmHeadFactory lmHead, DecoderLayerFactory decoderLayer,
                        Device device) {

    /** The factories {@code resolution} chose; the device is the runner's, fixed for its life. */
    static ModuleFactorySet of(Resolution resolution, Device device) {
        return new ModuleFactorySet(resolution.factory(ModuleKind.NORM, NormFactory.class),
                resolution.factory(ModuleKind.ROTARY, RotaryFactory.class),
                resolution.factory(ModuleKind.ATTENTION, AttentionFactory.class),
                resolution.factory(ModuleKind.MLP, MlpFactory.class),
                resolution.factory(ModuleKind.EMBEDDING, EmbeddingFactory.class),
                resolution.factory(ModuleKind.LM_HEAD, LmHeadFactory.class),
                resolution.factory(ModuleKind.DECODER_LAYER, DecoderLayerFactory.class), device);
    }
}
