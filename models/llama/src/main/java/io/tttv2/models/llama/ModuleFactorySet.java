package io.tttv2.models.llama;

import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.ModuleFactories.DecoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.EmbeddingFactory;
import io.tttv2.api.modules.ModuleFactories.LmHeadFactory;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.api.ops.Device;
import java.util.List;

/** The module implementations (services chosen by the host) and the device a model is built from. */
record ModuleFactorySet(NormFactory norm, RotaryFactory rotary, AttentionFactory attention, MlpFactory mlp,
                        EmbeddingFactory embedding, LmHeadFactory lmHead, DecoderLayerFactory decoderLayer,
                        Device device) {

    /** Every factory passed through each decorator in turn (no implementation's candidate is known here: null). */
    ModuleFactorySet decoratedBy(List<FactoryDecorator> decorators) {
        ModuleFactorySet f = this;
        for (FactoryDecorator d : decorators) {
            f = new ModuleFactorySet(d.decorate(ModuleKind.NORM, NormFactory.class, f.norm, null),
                    d.decorate(ModuleKind.ROTARY, RotaryFactory.class, f.rotary, null),
                    d.decorate(ModuleKind.ATTENTION, AttentionFactory.class, f.attention, null),
                    d.decorate(ModuleKind.MLP, MlpFactory.class, f.mlp, null),
                    d.decorate(ModuleKind.EMBEDDING, EmbeddingFactory.class, f.embedding, null),
                    d.decorate(ModuleKind.LM_HEAD, LmHeadFactory.class, f.lmHead, null),
                    d.decorate(ModuleKind.DECODER_LAYER, DecoderLayerFactory.class, f.decoderLayer, null), f.device);
        }
        return f;
    }
}
