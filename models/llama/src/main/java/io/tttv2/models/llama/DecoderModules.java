package io.tttv2.models.llama;

import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.Norm;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The modules of a decoder-only model, built together from one resolution.
 *
 * @param embedding token embedding
 * @param layers    decoder layers, in order
 * @param finalNorm the norm before the LM head
 * @param lmHead    hidden → logits
 * @param modules   every module by its HF path, for dumps
 */
record DecoderModules(Embedding embedding, List<DecoderLayer> layers, Norm finalNorm, LmHead lmHead,
                      Map<String, Module> modules) {

    DecoderModules {
        layers = List.copyOf(layers);
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));     // HF order, for dumps
    }
}
