package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Specializations;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.EncoderAttention;
import io.tttv2.api.modules.EncoderLayer;
import io.tttv2.api.modules.EncoderLayerParts;
import io.tttv2.api.modules.EncoderLayerSpec;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Pooler;
import io.tttv2.api.modules.PositionEmbedding;
import io.tttv2.api.modules.RelativePositionBias;
import io.tttv2.api.modules.Weights;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every module of an {@link EncoderPlan} from one set of factories, recorded under the checkpoint's module paths.
 * As in {@link DecoderBuilder}, each module that takes a config gets its own ({@link ModuleConfigs}: the runner's
 * defaults, the assembly's overrides for its kind and checkpoint path, the specialization table's tuned knobs),
 * computed as it is built.
 */
final class EncoderBuilder {

    private final EncoderPlan plan;
    private final Weights weights;
    private final WeightMapping mapping;
    private final ModuleConfig config;
    private final int maxSequence;
    private final Assembly assembly;
    private final Specializations table;
    private ModuleConfigs configs;      // of the build in progress

    /**
     * @param config      the runner's defaults for every module
     * @param maxSequence the runner's context (the specialization table's shape bucket)
     * @param assembly    whose per-kind and per-path configuration overrides apply
     * @param table       the specialization registry, or null outside a host
     */
    EncoderBuilder(EncoderPlan plan, Weights weights, WeightMapping mapping, ModuleConfig config, int maxSequence,
                   Assembly assembly, Specializations table) {
        this.plan = plan;
        this.weights = weights;
        this.mapping = mapping;
        this.config = config;
        this.maxSequence = maxSequence;
        this.assembly = assembly;
        this.table = table;
    }

    EncoderModules build(ModuleFactorySet f) {
        return build(f, new ModuleConfigs(config, assembly, f.resolution(), table, maxSequence, f.device()));
    }

    /** The encoder's modules, their configs from {@code moduleConfigs} (an encoder–decoder's, shared with its decoder). */
    EncoderModules build(ModuleFactorySet f, ModuleConfigs moduleConfigs) {
        configs = moduleConfigs;
        Map<String, Module> modules = new LinkedHashMap<>();
        Embedding embedding = f.embedding().create(plan.embedding(), weights.scoped(EncoderModules.EMBED_TOKENS), f.device());
        put(modules, EncoderModules.EMBED_TOKENS, embedding);
        Embedding tokenTypes = null;
        if (plan.tokenTypes() != null) {
            tokenTypes = f.embedding().create(plan.tokenTypes(), weights.scoped(EncoderModules.EMBED_TOKEN_TYPES), f.device());
            put(modules, EncoderModules.EMBED_TOKEN_TYPES, tokenTypes);
        }
        PositionEmbedding positions = null;
        if (plan.positions() != null) {
            positions = f.positionEmbedding().create(plan.positions(),
                    config(ModuleKind.POSITION_EMBEDDING, EncoderModules.EMBED_POSITIONS, plan.positions()), weights.scoped(EncoderModules.EMBED_POSITIONS),
                    f.device());
            put(modules, EncoderModules.EMBED_POSITIONS, positions);
        }
        RelativePositionBias relativeBias = null;
        if (plan.relativeBias() != null) {
            relativeBias = f.relativePositionBias().create(plan.relativeBias(),
                    config(ModuleKind.RELATIVE_POSITION_BIAS, EncoderModules.RELATIVE_BIAS, plan.relativeBias()),
                    weights.scoped(EncoderModules.RELATIVE_BIAS), f.device());
            put(modules, EncoderModules.RELATIVE_BIAS, relativeBias);
        }
        Norm embeddingNorm = norm(f, plan.embeddingNorm(), weights.scoped(EncoderModules.EMBED_NORM));
        put(modules, EncoderModules.EMBED_NORM, embeddingNorm);
        List<EncoderLayer> layers = new ArrayList<>();
        for (int l = 0; l < plan.layers().size(); l++) {
            EncoderLayerPlan lp = plan.layers().get(l);
            String path = EncoderModules.layerPath(l);
            Weights w = weights.scoped(path);
            EncoderAttention attention = f.encoderAttention().create(lp.attention(),
                    config(ModuleKind.ENCODER_ATTENTION, path + ".self_attn", lp.attention()), w.scoped("self_attn"), f.device());
            Norm attentionNorm = norm(f, lp.attentionNorm(), w.scoped("attention_norm"));
            Mlp mlp = f.mlp().create(lp.mlp(), config(ModuleKind.MLP, path + ".mlp", lp.mlp()), w.scoped("mlp"), f.device());
            Norm mlpNorm = norm(f, lp.mlpNorm(), w.scoped("mlp_norm"));
            EncoderLayerSpec layerSpec = new EncoderLayerSpec(plan.hidden(), lp.pattern());
            EncoderLayer layer = f.encoderLayer().create(layerSpec, config(ModuleKind.ENCODER_LAYER, path, layerSpec),
                    new EncoderLayerParts(attention, attentionNorm, mlp, mlpNorm), f.device());
            layers.add(layer);
            put(modules, path, layer);
            put(modules, path + ".self_attn", attention);
            put(modules, path + ".attention_norm", attentionNorm);
            put(modules, path + ".mlp", mlp);
            put(modules, path + ".mlp_norm", mlpNorm);
        }
        Norm finalNorm = norm(f, plan.finalNorm(), weights.scoped(EncoderModules.FINAL_NORM));
        put(modules, EncoderModules.FINAL_NORM, finalNorm);
        Pooler pooler = null;
        if (plan.pooler() != null) {
            pooler = f.pooler().create(plan.pooler(), config(ModuleKind.POOLER, EncoderModules.POOLER, plan.pooler()), weights.scoped(EncoderModules.POOLER), f.device());
            put(modules, EncoderModules.POOLER, pooler);
        }
        MaskedLmHead head = null;
        MaskedLmHeadPlan hp = plan.maskedLmHead();
        if (hp != null) {
            Weights dense = weights.scoped(MaskedLmHeadPlan.DENSE);
            Norm headNorm = norm(f, hp.norm(), weights.scoped(MaskedLmHeadPlan.NORM));
            LmHead decoder = f.lmHead().create(hp.decoder(), config(ModuleKind.LM_HEAD, MaskedLmHeadPlan.DECODER, hp.decoder()),
                    weights.scoped(hp.tied() ? EncoderModules.EMBED_TOKENS : MaskedLmHeadPlan.DECODER), f.device());
            head = new MaskedLmHead(hp, dense.get("weight"), dense.get("bias"), headNorm, decoder,
                    weights.get(MaskedLmHeadPlan.BIAS), f.device());
            put(modules, MaskedLmHeadPlan.NORM, headNorm);
            put(modules, MaskedLmHeadPlan.DECODER, decoder);
        }
        return new EncoderModules(embedding, tokenTypes, positions, relativeBias, embeddingNorm, layers, finalNorm, pooler,
                head, modules, configs.answers());
    }

    private static Norm norm(ModuleFactorySet f, NormSpec spec, Weights w) {
        return spec == null ? null : f.norm().create(spec, w, f.device());
    }

    /** The config of the module at the kit's {@code kitPath} (looked up by its checkpoint path). */
    private ModuleConfig config(ModuleKind kind, String kitPath, Record spec) {
        return configs.of(kind, mapping.checkpointPath(kitPath), spec);
    }

    private void put(Map<String, Module> modules, String kitPath, Module module) {
        if (module != null) {
            modules.put(mapping.checkpointPath(kitPath), module);
        }
    }
}
