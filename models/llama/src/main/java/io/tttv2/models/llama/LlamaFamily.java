package io.tttv2.models.llama;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.tensor.DType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a Llama-family model from library modules: HF config → module specs, HF weight names → module
 * weights. Mistral, Qwen2 and Qwen3 are Llama plus the differences {@link LlamaFamilyConfig} resolves
 * (a window, q/k/v biases, q/k norms).
 */
final class LlamaFamily {

    private LlamaFamily() {
    }

    static ModelRunner build(LlamaFamilyConfig c, Weights weights, AutoCloseable checkpoint, ModuleFactorySet f,
                             RunnerOptions options) {
        int maxSeq = options.maxSequenceLength() > 0
                ? Math.min(options.maxSequenceLength(), c.maxPositionEmbeddings()) : c.maxPositionEmbeddings();
        ModuleConfig config = new ModuleConfig(options.maxBatch(), Math.min(ModuleConfig.DEFAULT_PREFILL_CHUNK, maxSeq));
        Map<String, Module> modules = new LinkedHashMap<>();

        Embedding embedding = f.embedding().create(new EmbeddingSpec(c.vocabSize(), c.hiddenSize(), 1f),
                weights.scoped("model.embed_tokens"), f.device());
        modules.put("model.embed_tokens", embedding);

        // one rotary for the whole model: every layer shares the frequencies
        int rotaryDim = (int) (c.headDim() * c.partialRotaryFactor());
        Rotary rotary = f.rotary().create(new RotarySpec(c.headDim(), rotaryDim - rotaryDim % 2, c.rope(), maxSeq,
                RotaryStyle.HALF, c.parameterDType()), f.device());
        modules.put("model.rotary_emb", rotary);

        MlpSpec mlpSpec = new MlpSpec(c.hiddenSize(), c.intermediateSize(), Activation.of(c.hiddenAct()), true, c.mlpBias());
        NormSpec normSpec = NormSpec.rms(c.hiddenSize(), c.rmsNormEps());
        DecoderLayerSpec layerSpec = new DecoderLayerSpec(c.hiddenSize(), DecoderLayerSpec.ResidualPattern.PRE_NORM);
        List<DecoderLayer> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            String path = "model.layers." + l;
            Weights w = weights.scoped(path);
            Norm inputNorm = f.norm().create(normSpec, w.scoped("input_layernorm"), f.device());
            Attention attention = f.attention().create(attentionSpec(c, l), config, w.scoped("self_attn"), rotary, l,
                    f.device());
            Norm postNorm = f.norm().create(normSpec, w.scoped("post_attention_layernorm"), f.device());
            Mlp mlp = f.mlp().create(mlpSpec, config, w.scoped("mlp"), f.device());
            DecoderLayer layer = f.decoderLayer().create(layerSpec, config,
                    new DecoderLayerParts(inputNorm, attention, postNorm, null, null, mlp), f.device());
            layers.add(layer);
            modules.put(path, layer);
            modules.put(path + ".input_layernorm", inputNorm);
            modules.put(path + ".self_attn", attention);
            modules.put(path + ".post_attention_layernorm", postNorm);
            modules.put(path + ".mlp", mlp);
        }
        Norm finalNorm = f.norm().create(normSpec, weights.scoped("model.norm"), f.device());
        modules.put("model.norm", finalNorm);
        Weights head = c.tieWordEmbeddings() ? weights.scoped("model.embed_tokens") : weights.scoped("lm_head");
        LmHead lmHead = f.lmHead().create(new LmHeadSpec(c.hiddenSize(), c.vocabSize(), 0f), config, head, f.device());
        modules.put("lm_head", lmHead);

        ModelInfo info = new ModelInfo(c.architecture(), c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), maxSeq,
                c.eosTokenIds(), new KvCacheSpec(c.numHiddenLayers(), c.numKeyValueHeads(), c.headDim(),
                KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));
        return new DecoderOnlyRunner(info, f.device(), embedding, layers, finalNorm, lmHead, modules, checkpoint,
                options.maxBatch());
    }

    static AttentionSpec attentionSpec(LlamaFamilyConfig c, int layer) {
        NormSpec qkNorm = c.qkNorm() ? NormSpec.rms(c.headDim(), c.rmsNormEps()) : null;
        return new AttentionSpec(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(),
                c.qkvBias(), c.outputBias(),
                c.qkNorm() ? AttentionSpec.QkNorm.PER_HEAD : AttentionSpec.QkNorm.NONE, qkNorm,
                c.slidingWindows()[layer], 0f, (float) (1.0 / Math.sqrt(c.headDim())));
    }
}
