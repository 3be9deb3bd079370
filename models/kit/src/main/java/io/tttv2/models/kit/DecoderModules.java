package io.tttv2.models.kit;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.PositionEmbedding;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modules of a decoder-only model, built together from one resolution.
 *
 * @param embedding  token embedding
 * @param positions  learned positions added after it, or null
 * @param layers     decoder layers, in order
 * @param finalNorm  the norm before the LM head
 * @param lmHead     hidden → logits
 * @param modules    every module by the checkpoint's module path, for dumps and reports
 * @param specializations what the specialization table answered per module path (modules with a config)
 */
public record DecoderModules(Embedding embedding, PositionEmbedding positions, List<DecoderLayer> layers,
                             Norm finalNorm, LmHead lmHead, Map<String, Module> modules,
                             Map<String, Specialization> specializations) {

    /** The kit's module paths (Llama's names), which a {@link WeightMapping} maps onto a checkpoint's. */
    public static final String EMBED_TOKENS = "model.embed_tokens";
    public static final String EMBED_POSITIONS = "model.embed_positions";
    public static final String ROTARY = "model.rotary_emb";
    /** Shared by the layers whose attention has the same spec (one per distinct spec: {@code _1}, {@code _2}, …). */
    public static final String ATTENTION_BACKEND = "model.attention_backend";
    public static final String FINAL_NORM = "model.norm";
    public static final String LM_HEAD = "lm_head";

    public DecoderModules {
        layers = List.copyOf(layers);
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));     // model order, for dumps
        specializations = specializations == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(specializations));
    }

    /** Modules built without a specialization table. */
    public DecoderModules(Embedding embedding, PositionEmbedding positions, List<DecoderLayer> layers, Norm finalNorm,
                          LmHead lmHead, Map<String, Module> modules) {
        this(embedding, positions, layers, finalNorm, lmHead, modules, Map.of());
    }

    /** {@code model.layers.N}. */
    public static String layerPath(int layer) {
        return "model.layers." + layer;
    }
}
