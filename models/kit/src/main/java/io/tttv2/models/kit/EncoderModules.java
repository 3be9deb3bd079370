package io.tttv2.models.kit;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.EncoderLayer;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.Pooler;
import io.tttv2.api.modules.PositionEmbedding;
import io.tttv2.api.modules.RelativePositionBias;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modules of an encoder, built together from one resolution.
 *
 * @param embedding     token embedding
 * @param tokenTypes    segment embedding added to it, or null
 * @param positions     learned positions added after it, or null
 * @param relativeBias  the score bias of every layer, or null
 * @param embeddingNorm norm of the summed embeddings, or null
 * @param layers        encoder layers, in order
 * @param finalNorm     norm after the last layer, or null
 * @param pooler        pooler, or null
 * @param maskedLmHead  masked-language-model head, or null
 * @param modules       every module by the checkpoint's module path, for dumps and reports
 * @param specializations what the specialization table answered per module path (modules with a config)
 */
public record EncoderModules(Embedding embedding, Embedding tokenTypes, PositionEmbedding positions,
                             RelativePositionBias relativeBias, Norm embeddingNorm,
                             List<EncoderLayer> layers, Norm finalNorm, Pooler pooler, MaskedLmHead maskedLmHead,
                             Map<String, Module> modules, Map<String, Specialization> specializations) {

    /** The kit's module paths, which a {@link WeightMapping} maps onto a checkpoint's. */
    public static final String EMBED_TOKENS = "encoder.embed_tokens";
    public static final String EMBED_TOKEN_TYPES = "encoder.embed_token_types";
    public static final String EMBED_POSITIONS = "encoder.embed_positions";
    public static final String EMBED_NORM = "encoder.embed_norm";
    public static final String RELATIVE_BIAS = "encoder.relative_attention_bias";
    public static final String FINAL_NORM = "encoder.norm";
    public static final String POOLER = "pooler";

    public EncoderModules {
        layers = List.copyOf(layers);
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        specializations = specializations == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(specializations));
    }

    /** Modules built without a specialization table. */
    public EncoderModules(Embedding embedding, Embedding tokenTypes, PositionEmbedding positions,
                          RelativePositionBias relativeBias, Norm embeddingNorm, List<EncoderLayer> layers, Norm finalNorm,
                          Pooler pooler, MaskedLmHead maskedLmHead, Map<String, Module> modules) {
        this(embedding, tokenTypes, positions, relativeBias, embeddingNorm, layers, finalNorm, pooler, maskedLmHead,
                modules, Map.of());
    }

    /** {@code encoder.layers.N}. */
    public static String layerPath(int layer) {
        return "encoder.layers." + layer;
    }
}
