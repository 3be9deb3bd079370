package io.tttv2.models.llama;

import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.ModuleFactories.DecoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.EmbeddingFactory;
import io.tttv2.api.modules.ModuleFactories.LmHeadFactory;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.api.ops.Device;

/** The module implementations (services chosen by the host) and the device a model is built from. */
record ModuleFactorySet(NormFactory norm, RotaryFactory rotary, AttentionFactory attention, MlpFactory mlp,
                        EmbeddingFactory embedding, LmHeadFactory lmHead, DecoderLayerFactory decoderLayer,
                        Device device) {
}
