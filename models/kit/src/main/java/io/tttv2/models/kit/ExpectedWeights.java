package io.tttv2.models.kit;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.NormSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every tensor a plan's modules read, under the kit's names, with the shape the plan implies — what the
 * weight names in the specs' documentation promise, in one place, so a checkpoint is checked before anything
 * is built.
 */
final class ExpectedWeights {

    private ExpectedWeights() {
    }

    /** Kit tensor name → shape, in the order modules read them. */
    static Map<String, long[]> of(DecoderPlan plan) {
        Map<String, long[]> w = new LinkedHashMap<>();
        long h = plan.hidden();
        w.put(DecoderModules.EMBED_TOKENS + ".weight", new long[] {plan.embedding().vocab(), h});
        if (plan.positions() != null) {
            w.put(DecoderModules.EMBED_POSITIONS + ".weight", new long[] {plan.positions().maxPositions(), h});
        }
        for (int l = 0; l < plan.layers().size(); l++) {
            LayerPlan layer = plan.layers().get(l);
            String p = DecoderModules.layerPath(l) + ".";
            norm(w, p + "input_layernorm", layer.inputNorm());
            if (layer.attention() != null) {
                attention(w, p + "self_attn", layer.attention());
            } else {
                latentAttention(w, p + "self_attn", layer.latentAttention());
            }
            norm(w, p + "post_attention_layernorm", layer.postAttentionNorm());
            norm(w, p + "pre_feedforward_layernorm", layer.preFeedforwardNorm());
            norm(w, p + "post_feedforward_layernorm", layer.postFeedforwardNorm());
            if (layer.moe() != null) {
                moe(w, p + "mlp", layer.moe());
            } else {
                mlp(w, p + "mlp", layer.mlp());
            }
        }
        norm(w, DecoderModules.FINAL_NORM, plan.finalNorm());
        if (!plan.tiedHead()) {
            w.put(DecoderModules.LM_HEAD + ".weight", new long[] {plan.vocab(), h});
        }
        return w;
    }

    private static void norm(Map<String, long[]> w, String path, NormSpec norm) {
        if (norm != null) {
            w.put(path + ".weight", new long[] {norm.dim()});
            if (norm.bias()) {
                w.put(path + ".bias", new long[] {norm.dim()});
            }
        }
    }

    private static void attention(Map<String, long[]> w, String path, AttentionSpec a) {
        long q = (long) a.heads() * a.headDim(), kv = (long) a.kvHeads() * a.headDim();
        linear(w, path + ".q_proj", q, a.hidden(), a.qkvBias());
        linear(w, path + ".k_proj", kv, a.hidden(), a.qkvBias());
        linear(w, path + ".v_proj", kv, a.hidden(), a.qkvBias());
        linear(w, path + ".o_proj", a.hidden(), q, a.outputBias());
        switch (a.qkNorm()) {
            case NONE -> { }
            case PER_HEAD -> {
                norm(w, path + ".q_norm", a.qkNormSpec());
                norm(w, path + ".k_norm", a.qkNormSpec());
            }
            case FULL -> {
                NormSpec n = a.qkNormSpec();
                norm(w, path + ".q_norm", n);
                norm(w, path + ".k_norm", new NormSpec((int) kv, n.kind(), n.eps(), n.weightOffset(), n.bias()));
            }
        }
    }

    private static void latentAttention(Map<String, long[]> w, String path, LatentAttentionSpec a) {
        long qk = (long) a.heads() * a.qkHeadDim();
        if (a.qLoraRank() > 0) {
            linear(w, path + ".q_a_proj", a.qLoraRank(), a.hidden(), a.bias());
            norm(w, path + ".q_a_layernorm", a.qANorm());
            linear(w, path + ".q_b_proj", qk, a.qLoraRank(), false);
        } else {
            linear(w, path + ".q_proj", qk, a.hidden(), false);
        }
        linear(w, path + ".kv_a_proj_with_mqa", a.cacheWidth(), a.hidden(), a.bias());
        norm(w, path + ".kv_a_layernorm", a.kvANorm());
        linear(w, path + ".kv_b_proj", (long) a.heads() * (a.qkNopeHeadDim() + a.vHeadDim()), a.kvLoraRank(), false);
        linear(w, path + ".o_proj", a.hidden(), (long) a.heads() * a.vHeadDim(), a.bias());
    }

    private static void mlp(Map<String, long[]> w, String path, MlpSpec m) {
        if (m.gated()) {
            linear(w, path + ".gate_proj", m.intermediate(), m.hidden(), m.bias());
        }
        linear(w, path + ".up_proj", m.intermediate(), m.hidden(), m.bias());
        linear(w, path + ".down_proj", m.hidden(), m.intermediate(), m.bias());
    }

    private static void moe(Map<String, long[]> w, String path, MoeSpec m) {
        w.put(path + ".gate.weight", new long[] {m.experts(), m.hidden()});
        if (m.router().correctionBias()) {
            w.put(path + ".gate.e_score_correction_bias", new long[] {m.experts()});
        }
        for (int e = 0; e < m.experts(); e++) {
            mlp(w, path + ".experts." + e, m.expert());
        }
        if (m.shared() != null) {
            mlp(w, path + ".shared_expert", m.shared());
        }
        if (m.sharedGate()) {
            w.put(path + ".shared_expert_gate.weight", new long[] {1, m.hidden()});
        }
    }

    private static void linear(Map<String, long[]> w, String path, long out, long in, boolean bias) {
        w.put(path + ".weight", new long[] {out, in});
        if (bias) {
            w.put(path + ".bias", new long[] {out});
        }
    }
}
