package io.tttv2.testing.support;

import io.tttv2.api.assembly.FactoryDecorator;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.AttentionBackendFactory;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.core.modules.backend.SdpaAttentionBackendFactory;
import io.tttv2.api.modules.ModuleFactories.DecoderLayerFactory;
import io.tttv2.api.modules.ModuleFactories.EmbeddingFactory;
import io.tttv2.api.modules.ModuleFactories.LmHeadFactory;
import io.tttv2.api.modules.ModuleFactories.MlpFactory;
import io.tttv2.api.modules.ModuleFactories.NormFactory;
import io.tttv2.api.modules.ModuleFactories.RotaryFactory;
import io.tttv2.core.modules.attention.SdpaAttentionFactory;
import io.tttv2.core.modules.decoder.ResidualDecoderLayerFactory;
import io.tttv2.core.modules.embedding.TokenEmbeddingFactory;
import io.tttv2.core.modules.lmhead.LinearLmHeadFactory;
import io.tttv2.core.modules.mlp.GatedMlpFactory;
import io.tttv2.core.modules.norm.RmsNormFactory;
import io.tttv2.core.modules.rotary.RotaryEmbeddingFactory;

/** The module factories a Llama-family model uses, as the host would hand them out. */
public record Factories(NormFactory norm, RotaryFactory rotary, AttentionFactory attention,
                        AttentionBackendFactory backend, MlpFactory mlp, EmbeddingFactory embedding,
                        LmHeadFactory lmHead, DecoderLayerFactory decoderLayer) {

    /** core-impl's candidates. */
    public static Factories core() {
        return new Factories(new RmsNormFactory(), new RotaryEmbeddingFactory(), new SdpaAttentionFactory(),
                new SdpaAttentionBackendFactory(), new GatedMlpFactory(), new TokenEmbeddingFactory(), new LinearLmHeadFactory(),
                new ResidualDecoderLayerFactory());
    }

    public Factories withNorm(NormFactory norm) {
        return new Factories(norm, rotary, attention, backend, mlp, embedding, lmHead, decoderLayer);
    }

    public Factories withRotary(RotaryFactory rotary) {
        return new Factories(norm, rotary, attention, backend, mlp, embedding, lmHead, decoderLayer);
    }

    /** An attention of {@code spec} with core's causal backend for it, from these factories. */
    public Attention attention(AttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary, int layer,
                               Device device) {
        AttentionBackend b = backend.create(AttentionBackendSpec.causal(spec), config, device);
        return attention.create(spec, config, weights, rotary, b, layer, device);
    }

    /** Every factory passed through {@code decorator}, as the resolver does. */
    public Factories decoratedBy(FactoryDecorator decorator) {
        return new Factories(decorator.decorate(ModuleKind.NORM, NormFactory.class, norm, null),
                decorator.decorate(ModuleKind.ROTARY, RotaryFactory.class, rotary, null),
                decorator.decorate(ModuleKind.ATTENTION, AttentionFactory.class, attention, null),
                decorator.decorate(ModuleKind.ATTENTION_BACKEND, AttentionBackendFactory.class, backend, null),
                decorator.decorate(ModuleKind.MLP, MlpFactory.class, mlp, null),
                decorator.decorate(ModuleKind.EMBEDDING, EmbeddingFactory.class, embedding, null),
                decorator.decorate(ModuleKind.LM_HEAD, LmHeadFactory.class, lmHead, null),
                decorator.decorate(ModuleKind.DECODER_LAYER, DecoderLayerFactory.class, decoderLayer, null));
    }
}
