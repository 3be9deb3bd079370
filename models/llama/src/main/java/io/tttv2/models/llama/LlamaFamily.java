package io.tttv2.models.llama;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.ModuleResolver;
import io.tttv2.api.assembly.Resolution;
import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.candidate.ModuleKind;
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
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.tensor.DType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a Llama-family model from library modules the resolver chose: HF config → module specs, HF
 * weight names → module weights. Mistral, Qwen2 and Qwen3 are Llama plus the differences
 * {@link LlamaFamilyConfig} resolves (a window, q/k/v biases, q/k norms).
 */
final class LlamaFamily {

    private LlamaFamily() {
    }

    /**
     * Resolves the assembly, fixes the device for the runner's life, and builds the modules; the runner
     * rebuilds them from the resolver at step boundaries when implementations change.
     *
     * @throws ModelLoadException if a kind has no acceptable candidate, naming it and why each was rejected
     */
    static ModelRunner build(LlamaFamilyConfig c, Weights weights, AutoCloseable checkpoint, ModuleResolver resolver,
                             Assembly assembly, RunnerOptions options) {
        int maxSeq = options.maxSequenceLength() > 0
                ? Math.min(options.maxSequenceLength(), c.maxPositionEmbeddings()) : c.maxPositionEmbeddings();
        ModuleConfig config = new ModuleConfig(options.maxBatch(), Math.min(ModuleConfig.DEFAULT_PREFILL_CHUNK, maxSeq));
        Resolution first = resolver.resolve(assembly, LlamaAssembly.KINDS);
        Device device;
        try {
            device = first.factory(ModuleKind.DEVICE, Device.class);
            ModuleFactorySet.of(first, device);     // every kind resolved, or the first that is not, in one line
        } catch (UnresolvedException e) {
            throw new ModelLoadException(e.getMessage(), e);
        }
        Set<ModuleKind> rebindable = EnumSet.copyOf(LlamaAssembly.KINDS);
        rebindable.remove(ModuleKind.DEVICE);      // the KV cache lives in the device's memory: it stays
        ModuleBinding<DecoderModules> binding = new ModuleBinding<>(resolver, assembly, rebindable, first,
                resolution -> modules(c, weights, config, maxSeq, ModuleFactorySet.of(resolution, device)));

        ModelInfo info = new ModelInfo(c.architecture(), c.vocabSize(), c.hiddenSize(), c.numHiddenLayers(), maxSeq,
                c.eosTokenIds(), new KvCacheSpec(c.numHiddenLayers(), c.numKeyValueHeads(), c.headDim(),
                KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));
        return new DecoderOnlyRunner(info, device, binding, checkpoint, options.maxBatch());
    }

    /** Every module of the model from one set of factories: HF config → specs, HF weight names → weights. */
    static DecoderModules modules(LlamaFamilyConfig c, Weights weights, ModuleConfig config, int maxSeq,
                                  ModuleFactorySet f) {
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
        return new DecoderModules(embedding, layers, finalNorm, lmHead, modules);
    }

    static AttentionSpec attentionSpec(LlamaFamilyConfig c, int layer) {
        NormSpec qkNorm = c.qkNorm() ? NormSpec.rms(c.headDim(), c.rmsNormEps()) : null;
        return new AttentionSpec(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(),
                c.qkvBias(), c.outputBias(),
                c.qkNorm() ? AttentionSpec.QkNorm.PER_HEAD : AttentionSpec.QkNorm.NONE, qkNorm,
                c.slidingWindows()[layer], 0f, (float) (1.0 / Math.sqrt(c.headDim())));
    }
}
