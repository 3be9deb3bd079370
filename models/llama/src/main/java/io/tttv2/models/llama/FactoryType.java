package io.tttv2.models.llama;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleFactories;
import io.tttv2.api.ops.Device;

/** The service interface the family takes each kind's implementation as. */
final class FactoryType {

    private FactoryType() {
    }

    static Class<?> of(ModuleKind kind) {
        return switch (kind) {
            case NORM -> ModuleFactories.NormFactory.class;
            case ROTARY -> ModuleFactories.RotaryFactory.class;
            case ATTENTION -> ModuleFactories.AttentionFactory.class;
            case MLP -> ModuleFactories.MlpFactory.class;
            case EMBEDDING -> ModuleFactories.EmbeddingFactory.class;
            case LM_HEAD -> ModuleFactories.LmHeadFactory.class;
            case DECODER_LAYER -> ModuleFactories.DecoderLayerFactory.class;
            case DEVICE -> Device.class;
            default -> throw new IllegalArgumentException("the Llama family builds no " + kind.id());
        };
    }
}
