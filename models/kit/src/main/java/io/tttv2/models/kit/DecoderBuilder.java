package io.tttv2.models.kit;

import io.tttv2.api.assembly.Assembly;
import io.tttv2.api.assembly.Specializations;
import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Moe;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PositionEmbedding;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.Router;
import io.tttv2.api.modules.Weights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every module of a plan from one set of factories. Layers with equal rotary specs share one rotary (the
 * tables are computed once), layers with equal attention-backend specs one backend; modules are recorded under
 * the checkpoint's module paths. Each module gets its own config ({@link ModuleConfigs}: the runner's defaults, the
 * assembly's overrides for its kind and path, the specialization table's tuned knobs), computed as it is built.
 */
final class DecoderBuilder {

    private final DecoderPlan plan;
    private final Weights weights;
    private final WeightMapping mapping;
    private final ModuleConfig config;
    private final int maxSequence;
    private final Assembly assembly;
    private final Specializations table;
    private ModuleConfigs configs;      // of the build in progress

    /**
     * @param config   the runner's defaults for every module
     * @param assembly whose per-kind and per-path configuration overrides apply
     * @param table    the specialization registry, or null outside a host
     */
    DecoderBuilder(DecoderPlan plan, Weights weights, WeightMapping mapping, ModuleConfig config, int maxSequence,
                   Assembly assembly, Specializations table) {
        this.plan = plan;
        this.weights = weights;
        this.mapping = mapping;
        this.config = config;
        this.maxSequence = maxSequence;
        this.assembly = assembly;
        this.table = table;
    }

    DecoderModules build(ModuleFactorySet f) {
        configs = new ModuleConfigs(config, assembly, f.resolution(), table, maxSequence, f.device());
        Map<String, Module> modules = new LinkedHashMap<>();
        Embedding embedding = f.embedding().create(plan.embedding(), weights.scoped(DecoderModules.EMBED_TOKENS), f.device());
        put(modules, DecoderModules.EMBED_TOKENS, embedding);
        PositionEmbedding positions = null;
        if (plan.positions() != null) {
            positions = f.positionEmbedding().create(plan.positions(),
                    config(ModuleKind.POSITION_EMBEDDING, DecoderModules.EMBED_POSITIONS, plan.positions()),
                    weights.scoped(DecoderModules.EMBED_POSITIONS), f.device());
            put(modules, DecoderModules.EMBED_POSITIONS, positions);
        }
        Map<RotarySpec, Rotary> rotaries = new HashMap<>();
        // a backend holds no per-layer state (the layer is an argument): layers of one spec share it, and with it
        // whatever workers or workspaces it keeps
        Map<AttentionBackendSpec, AttentionBackend> backends = new HashMap<>();
        List<DecoderLayer> layers = new ArrayList<>();
        for (int l = 0; l < plan.layers().size(); l++) {
            LayerPlan lp = plan.layers().get(l);
            String path = DecoderModules.layerPath(l);
            Weights w = weights.scoped(path);
            Rotary rotary = lp.rotary() == null ? null : rotaries.computeIfAbsent(sized(lp.rotary()), spec -> {
                Rotary r = f.rotary().create(spec, f.device());
                put(modules, rotaries.isEmpty() ? DecoderModules.ROTARY : DecoderModules.ROTARY + "_" + rotaries.size(), r);
                return r;
            });
            Norm inputNorm = norm(f, lp.inputNorm(), w, "input_layernorm");
            AttentionBackend backend = backends.computeIfAbsent(lp.backend(), spec -> {
                String at = DecoderModules.ATTENTION_BACKEND + (backends.isEmpty() ? "" : "_" + backends.size());
                AttentionBackend b = f.attentionBackend().create(spec, config(ModuleKind.ATTENTION_BACKEND, at, spec), f.device());
                put(modules, at, b);
                return b;
            });
            Attention attention = lp.attention() != null
                    ? f.attention().create(lp.attention(), config(ModuleKind.ATTENTION, path + ".self_attn", lp.attention()),
                            w.scoped("self_attn"), rotary, backend, l, f.device())
                    : f.latentAttention().create(lp.latentAttention(),
                            config(ModuleKind.LATENT_ATTENTION, path + ".self_attn", lp.latentAttention()),
                            w.scoped("self_attn"), rotary, backend, l, f.device());
            Norm postAttentionNorm = norm(f, lp.postAttentionNorm(), w, "post_attention_layernorm");
            Norm preFeedforwardNorm = norm(f, lp.preFeedforwardNorm(), w, "pre_feedforward_layernorm");
            Norm postFeedforwardNorm = norm(f, lp.postFeedforwardNorm(), w, "post_feedforward_layernorm");
            Mlp mlp = lp.moe() == null
                    ? f.mlp().create(lp.mlp(), config(ModuleKind.MLP, path + ".mlp", lp.mlp()), w.scoped("mlp"), f.device())
                    : moe(f, lp.moe(), w.scoped("mlp"), modules, path + ".mlp");
            DecoderLayerSpec layerSpec = new DecoderLayerSpec(plan.hidden(), lp.pattern());
            DecoderLayer layer = f.decoderLayer().create(layerSpec, config(ModuleKind.DECODER_LAYER, path, layerSpec),
                    new DecoderLayerParts(inputNorm, attention, postAttentionNorm, preFeedforwardNorm, postFeedforwardNorm,
                            mlp), f.device());
            layers.add(layer);
            put(modules, path, layer);
            put(modules, path + ".input_layernorm", inputNorm);
            put(modules, path + ".self_attn", attention);
            put(modules, path + ".post_attention_layernorm", postAttentionNorm);
            put(modules, path + ".pre_feedforward_layernorm", preFeedforwardNorm);
            put(modules, path + ".post_feedforward_layernorm", postFeedforwardNorm);
            put(modules, path + ".mlp", mlp);
        }
        Norm finalNorm = f.norm().create(plan.finalNorm(), weights.scoped(DecoderModules.FINAL_NORM), f.device());
        put(modules, DecoderModules.FINAL_NORM, finalNorm);
        Weights head = weights.scoped(plan.tiedHead() ? DecoderModules.EMBED_TOKENS : DecoderModules.LM_HEAD);
        LmHead lmHead = f.lmHead().create(plan.lmHead(), config(ModuleKind.LM_HEAD, DecoderModules.LM_HEAD, plan.lmHead()),
                head, f.device());
        put(modules, DecoderModules.LM_HEAD, lmHead);
        return new DecoderModules(embedding, positions, layers, finalNorm, lmHead, modules, configs.answers());
    }

    /** A mixture of experts from its router and shared expert, each recorded under its module path. */
    private Moe moe(ModuleFactorySet f, MoeSpec spec, Weights w, Map<String, Module> modules, String path) {
        Router router = f.router().create(spec.router(), config(ModuleKind.ROUTER, path + ".gate", spec.router()),
                w.scoped("gate"), f.device());
        put(modules, path + ".gate", router);
        Mlp shared = spec.shared() == null ? null
                : f.mlp().create(spec.shared(), config(ModuleKind.MLP, path + ".shared_expert", spec.shared()),
                        w.scoped("shared_expert"), f.device());
        put(modules, path + ".shared_expert", shared);
        return f.moe().create(spec, config(ModuleKind.MOE, path, spec), w, router, shared, f.device());
    }

    /** The rotary's tables cover the runner's context, not more. */
    private RotarySpec sized(RotarySpec r) {
        return new RotarySpec(r.headDim(), r.rotaryDim(), r.scaling(), maxSequence, r.style(), r.frequencyDType());
    }

    private Norm norm(ModuleFactorySet f, NormSpec spec, Weights layer, String name) {
        return spec == null ? null : f.norm().create(spec, layer.scoped(name), f.device());
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
