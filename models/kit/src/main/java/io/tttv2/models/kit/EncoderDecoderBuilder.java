package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Specializations;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.BiasedAttention;
import io.tttv2.api.modules.CrossAttention;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.RelativePositionBias;
import io.tttv2.api.modules.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every module of an {@link EncoderDecoderPlan} from one set of factories: the encoder's, then the decoder's. One
 * {@link ModuleConfigs} serves both halves, so every module's config (defaults, the assembly's overrides per kind
 * and checkpoint path, the specialization table) and the table's answers are kept alike.
 */
final class EncoderDecoderBuilder {

    private final EncoderDecoderPlan plan;
    private final Weights weights;
    private final WeightMapping mapping;
    private final ModuleConfig config;
    private final int maxSequence;
    private final Assembly assembly;
    private final Specializations table;
    private final EncoderBuilder encoder;
    private ModuleConfigs configs;      // of the build in progress

    /**
     * @param config      the runner's defaults for every module
     * @param maxSequence the decoder's context (the specialization table's shape bucket)
     * @param assembly    whose per-kind and per-path configuration overrides apply
     * @param table       the specialization registry, or null outside a host
     */
    EncoderDecoderBuilder(EncoderDecoderPlan plan, Weights weights, WeightMapping mapping, ModuleConfig config,
                          int maxSequence, Assembly assembly, Specializations table) {
        this.plan = plan;
        this.weights = weights;
        this.mapping = mapping;
        this.config = config;
        this.maxSequence = maxSequence;
        this.assembly = assembly;
        this.table = table;
        this.encoder = new EncoderBuilder(plan.encoder(), weights, mapping, config, maxSequence, assembly, table);
    }

    EncoderDecoderModules build(ModuleFactorySet f) {
        configs = new ModuleConfigs(config, assembly, f.resolution(), table, maxSequence, f.device());
        EncoderModules encoderModules = encoder.build(f, configs);
        Map<String, Module> modules = new LinkedHashMap<>(encoderModules.modules());
        Embedding embedding = f.embedding().create(plan.embedding(), weights.scoped(EncoderDecoderModules.EMBED_TOKENS),
                f.device());
        put(modules, EncoderDecoderModules.EMBED_TOKENS, embedding);
        RelativePositionBias bias = f.relativePositionBias().create(plan.relativeBias(),
                config(ModuleKind.RELATIVE_POSITION_BIAS, EncoderDecoderModules.RELATIVE_BIAS, plan.relativeBias()),
                weights.scoped(EncoderDecoderModules.RELATIVE_BIAS), f.device());
        put(modules, EncoderDecoderModules.RELATIVE_BIAS, bias);
        List<EncoderDecoderModules.Layer> layers = new ArrayList<>();
        for (int l = 0; l < plan.layers().size(); l++) {
            CrossDecoderLayerPlan lp = plan.layers().get(l);
            String path = EncoderDecoderModules.layerPath(l);
            Weights w = weights.scoped(path);
            Norm selfNorm = f.norm().create(lp.selfAttentionNorm(), w.scoped("self_attn_norm"), f.device());
            BiasedAttention self = f.biasedAttention().create(lp.selfAttention(),
                    config(ModuleKind.BIASED_ATTENTION, path + ".self_attn", lp.selfAttention()), w.scoped("self_attn"), l,
                    f.device());
            Norm crossNorm = f.norm().create(lp.crossAttentionNorm(), w.scoped("cross_attn_norm"), f.device());
            CrossAttention cross = f.crossAttention().create(lp.crossAttention(),
                    config(ModuleKind.CROSS_ATTENTION, path + ".cross_attn", lp.crossAttention()), w.scoped("cross_attn"),
                    f.device());
            Norm mlpNorm = f.norm().create(lp.mlpNorm(), w.scoped("mlp_norm"), f.device());
            Mlp mlp = f.mlp().create(lp.mlp(), config(ModuleKind.MLP, path + ".mlp", lp.mlp()), w.scoped("mlp"), f.device());
            layers.add(new EncoderDecoderModules.Layer(selfNorm, self, crossNorm, cross, mlpNorm, mlp));
            put(modules, path + ".self_attn_norm", selfNorm);
            put(modules, path + ".self_attn", self);
            put(modules, path + ".cross_attn_norm", crossNorm);
            put(modules, path + ".cross_attn", cross);
            put(modules, path + ".mlp_norm", mlpNorm);
            put(modules, path + ".mlp", mlp);
        }
        Norm finalNorm = f.norm().create(plan.finalNorm(), weights.scoped(EncoderDecoderModules.FINAL_NORM), f.device());
        put(modules, EncoderDecoderModules.FINAL_NORM, finalNorm);
        Weights head = weights.scoped(plan.tiedHead() ? EncoderDecoderModules.EMBED_TOKENS : EncoderDecoderModules.LM_HEAD);
        LmHead lmHead = f.lmHead().create(plan.lmHead(),
                config(ModuleKind.LM_HEAD, EncoderDecoderModules.LM_HEAD, plan.lmHead()), head, f.device());
        put(modules, EncoderDecoderModules.LM_HEAD, lmHead);
        return new EncoderDecoderModules(encoderModules, embedding, bias, layers, finalNorm, lmHead, modules,
                configs.answers());
    }

    /** The config of the module at the kit's {@code kitPath} (looked up by its checkpoint path). */
    private ModuleConfig config(ModuleKind kind, String kitPath, Record spec) {
        return configs.of(kind, mapping.checkpointPath(kitPath), spec);
    }

    private void put(Map<String, Module> modules, String kitPath, Module module) {
        modules.put(mapping.checkpointPath(kitPath), module);
    }
}
