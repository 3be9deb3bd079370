package io.tttv2.models.kit;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.modules.BiasedAttention;
import io.tttv2.api.modules.CrossAttention;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.RelativePositionBias;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modules of an encoder–decoder, built together from one resolution.
 *
 * @param encoder      the encoder's
 * @param embedding    the decoder's token embedding
 * @param relativeBias the decoder's self-attention bias
 * @param layers       decoder layers, in order
 * @param finalNorm    the decoder's final norm
 * @param lmHead       hidden → logits
 * @param modules      every module by the checkpoint's module path, for dumps and reports
 * @param specializations what the specialization table answered per module path, the encoder's and the decoder's
 */
public record EncoderDecoderModules(EncoderModules encoder, Embedding embedding, RelativePositionBias relativeBias,
                                    List<Layer> layers, Norm finalNorm, LmHead lmHead, Map<String, Module> modules,
                                    Map<String, Specialization> specializations) {

    public static final String EMBED_TOKENS = "decoder.embed_tokens";
    public static final String RELATIVE_BIAS = "decoder.relative_attention_bias";
    public static final String FINAL_NORM = "decoder.norm";
    public static final String LM_HEAD = "lm_head";

    /** One pre-norm decoder layer's parts. */
    public record Layer(Norm selfAttentionNorm, BiasedAttention selfAttention, Norm crossAttentionNorm,
                        CrossAttention crossAttention, Norm mlpNorm, Mlp mlp) {
    }

    public EncoderDecoderModules {
        layers = List.copyOf(layers);
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
        specializations = specializations == null ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(specializations));
    }

    /** Modules built without a specialization table. */
    public EncoderDecoderModules(EncoderModules encoder, Embedding embedding, RelativePositionBias relativeBias,
                                 List<Layer> layers, Norm finalNorm, LmHead lmHead, Map<String, Module> modules) {
        this(encoder, embedding, relativeBias, layers, finalNorm, lmHead, modules, Map.of());
    }

    /** {@code decoder.layers.N}. */
    public static String layerPath(int layer) {
        return "decoder.layers." + layer;
    }
}
