package io.tttv2.models.kit;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every tensor an {@link EncoderPlan}'s modules read, under the kit's names, with the shape the plan implies. */
final class EncoderExpectedWeights {

    private EncoderExpectedWeights() {
    }

    /** Kit tensor name → shape, in the order modules read them. */
    static Map<String, long[]> of(EncoderPlan plan) {
        Map<String, long[]> w = new LinkedHashMap<>();
        long h = plan.hidden();
        w.put(EncoderModules.EMBED_TOKENS + ".weight", new long[] {plan.embedding().vocab(), h});
        if (plan.tokenTypes() != null) {
            w.put(EncoderModules.EMBED_TOKEN_TYPES + ".weight", new long[] {plan.tokenTypes().vocab(), h});
        }
        if (plan.positions() != null) {
            w.put(EncoderModules.EMBED_POSITIONS + ".weight", new long[] {plan.positions().maxPositions(), h});
        }
        if (plan.relativeBias() != null) {
            w.put(EncoderModules.RELATIVE_BIAS + ".weight",
                    new long[] {plan.relativeBias().numBuckets(), plan.relativeBias().heads()});
        }
        norm(w, EncoderModules.EMBED_NORM, plan.embeddingNorm());
        for (int l = 0; l < plan.layers().size(); l++) {
            EncoderLayerPlan layer = plan.layers().get(l);
            String p = EncoderModules.layerPath(l) + ".";
            attention(w, p + "self_attn", layer.attention().attention());
            norm(w, p + "attention_norm", layer.attentionNorm());
            mlp(w, p + "mlp", layer.mlp());
            norm(w, p + "mlp_norm", layer.mlpNorm());
        }
        norm(w, EncoderModules.FINAL_NORM, plan.finalNorm());
        if (plan.pooler() != null) {
            linear(w, EncoderModules.POOLER + ".dense", plan.pooler().hidden(), plan.pooler().hidden(), true);
        }
        MaskedLmHeadPlan head = plan.maskedLmHead();
        if (head != null) {
            linear(w, MaskedLmHeadPlan.DENSE, h, h, true);
            norm(w, MaskedLmHeadPlan.NORM, head.norm());
            if (!head.tied()) {
                w.put(MaskedLmHeadPlan.DECODER + ".weight", new long[] {head.decoder().vocab(), h});
            }
            w.put(MaskedLmHeadPlan.BIAS, new long[] {head.decoder().vocab()});
        }
        return w;
    }

    static void norm(Map<String, long[]> w, String path, NormSpec norm) {
        if (norm != null) {
            w.put(path + ".weight", new long[] {norm.dim()});
            if (norm.bias()) {
                w.put(path + ".bias", new long[] {norm.dim()});
            }
        }
    }

    /** q/k/v/o projections; an encoder's attention has no q/k norm. */
    static void attention(Map<String, long[]> w, String path, AttentionSpec a) {
        long q = (long) a.heads() * a.headDim(), kv = (long) a.kvHeads() * a.headDim();
        linear(w, path + ".q_proj", q, a.hidden(), a.qkvBias());
        linear(w, path + ".k_proj", kv, a.hidden(), a.qkvBias());
        linear(w, path + ".v_proj", kv, a.hidden(), a.qkvBias());
        linear(w, path + ".o_proj", a.hidden(), q, a.outputBias());
    }

    static void mlp(Map<String, long[]> w, String path, MlpSpec m) {
        if (m.gated()) {
            linear(w, path + ".gate_proj", m.intermediate(), m.hidden(), m.bias());
        }
        linear(w, path + ".up_proj", m.intermediate(), m.hidden(), m.bias());
        linear(w, path + ".down_proj", m.hidden(), m.intermediate(), m.bias());
    }

    static void linear(Map<String, long[]> w, String path, long out, long in, boolean bias) {
        w.put(path + ".weight", new long[] {out, in});
        if (bias) {
            w.put(path + ".bias", new long[] {out});
        }
    }
}
