package io.tttv2.models.kit;

import io.tttv2.api.modules.AttentionSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every tensor an {@link EncoderDecoderPlan}'s modules read, under the kit's names, with the shape the plan implies. */
final class EncoderDecoderExpectedWeights {

    private EncoderDecoderExpectedWeights() {
    }

    static Map<String, long[]> of(EncoderDecoderPlan plan) {
        Map<String, long[]> w = new LinkedHashMap<>(EncoderExpectedWeights.of(plan.encoder()));
        long h = plan.hidden();
        w.put(EncoderDecoderModules.EMBED_TOKENS + ".weight", new long[] {plan.embedding().vocab(), h});
        w.put(EncoderDecoderModules.RELATIVE_BIAS + ".weight",
                new long[] {plan.relativeBias().numBuckets(), plan.relativeBias().heads()});
        for (int l = 0; l < plan.layers().size(); l++) {
            CrossDecoderLayerPlan layer = plan.layers().get(l);
            String p = EncoderDecoderModules.layerPath(l) + ".";
            EncoderExpectedWeights.attention(w, p + "self_attn", layer.selfAttention());
            EncoderExpectedWeights.norm(w, p + "self_attn_norm", layer.selfAttentionNorm());
            crossAttention(w, p + "cross_attn", layer.crossAttention().attention(), layer.crossAttention().encoderHidden());
            EncoderExpectedWeights.norm(w, p + "cross_attn_norm", layer.crossAttentionNorm());
            EncoderExpectedWeights.mlp(w, p + "mlp", layer.mlp());
            EncoderExpectedWeights.norm(w, p + "mlp_norm", layer.mlpNorm());
        }
        EncoderExpectedWeights.norm(w, EncoderDecoderModules.FINAL_NORM, plan.finalNorm());
        if (!plan.tiedHead()) {
            w.put(EncoderDecoderModules.LM_HEAD + ".weight", new long[] {plan.lmHead().vocab(), h});
        }
        return w;
    }

    /** Queries from the decoder's width, keys and values from the encoder's. */
    private static void crossAttention(Map<String, long[]> w, String path, AttentionSpec a, int encoderHidden) {
        long q = (long) a.heads() * a.headDim(), kv = (long) a.kvHeads() * a.headDim();
        EncoderExpectedWeights.linear(w, path + ".q_proj", q, a.hidden(), a.qkvBias());
        EncoderExpectedWeights.linear(w, path + ".k_proj", kv, encoderHidden, a.qkvBias());
        EncoderExpectedWeights.linear(w, path + ".v_proj", kv, encoderHidden, a.qkvBias());
        EncoderExpectedWeights.linear(w, path + ".o_proj", a.hidden(), q, a.outputBias());
    }
}
