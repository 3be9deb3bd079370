package io.tttv2.models.deepseekv3;

import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.config.RopeParameters;
import io.tttv2.integration.hf.config.RopeType;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.MoePlans;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * config.json → the plan of a DeepSeek-V3 model. Differs from Llama: multi-head latent attention in every layer;
 * the first {@code first_k_dense_replace} layers a dense SwiGLU MLP, the rest a mixture of experts with sigmoid,
 * bias-corrected, grouped routing and shared experts. Defaults are DeepseekV3Config's.
 */
final class DeepseekV3Plans {

    static final String ARCHITECTURE = "DeepseekV3ForCausalLM";

    private DeepseekV3Plans() {
    }

    static DecoderModel of(HfConfig c) {
        ConfigJson json = c.json();
        int hidden = c.hiddenSize();
        NormSpec norm = HfPlans.rmsNorm(c, hidden);
        LatentAttentionSpec attention = attention(c);
        RotarySpec rotary = rotary(c, attention.qkRopeHeadDim());
        Activation act = Activation.of(c.hiddenAct().orElse("silu"));
        MlpSpec dense = new MlpSpec(hidden, MoePlans.count(c, "intermediate_size", 18432), act, true, false);
        int firstMoe = json.optionalInt("first_k_dense_replace").orElse(3);
        if (firstMoe < 0) {
            throw json.wrongType("first_k_dense_replace", "a non-negative integer", json.raw().get("first_k_dense_replace"));
        }
        MoeSpec moe = firstMoe < c.numHiddenLayers() ? moe(c, act) : null;
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            LayerPlan layer = LayerPlan.latent(norm, attention, rotary, dense);
            layers.add(l < firstMoe ? layer : layer.withMoe(moe));
        }
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, new EmbeddingSpec(c.vocabSize(), hidden, 1f), null, layers,
                norm, new LmHeadSpec(hidden, c.vocabSize(), 0f), json.optionalBoolean("tie_word_embeddings").orElse(false),
                HfPlans.maxPositions(c), c.eosTokenIds(), HfPlans.parameterDType(c));
        int mtp = json.optionalInt("num_nextn_predict_layers").orElse(0);
        return new DecoderModel(plan, mapping(c.numHiddenLayers(), Math.max(0, mtp)));
    }

    /** The latent attention's numbers, checked against one another; the softmax scale with YaRN's mscale². */
    static LatentAttentionSpec attention(HfConfig c) {
        ConfigJson json = c.json();
        int qRank = json.hasKey("q_lora_rank") && !json.has("q_lora_rank") ? 0 : MoePlans.count(c, "q_lora_rank", 1536);
        int kvRank = MoePlans.count(c, "kv_lora_rank", 512);
        int nope = MoePlans.count(c, "qk_nope_head_dim", 128);
        int rope = MoePlans.count(c, "qk_rope_head_dim", 64);
        int v = MoePlans.count(c, "v_head_dim", 128);
        if (rope % 2 != 0) {
            throw json.error("qk_rope_head_dim", "expected an even number (rotary pairs), found " + rope);
        }
        if (json.has("qk_head_dim") && json.requireInt("qk_head_dim") != nope + rope) {
            throw json.error("qk_head_dim", "expected qk_nope_head_dim " + nope + " + qk_rope_head_dim " + rope + " = "
                    + (nope + rope) + ", found " + json.requireInt("qk_head_dim"));
        }
        boolean bias = json.optionalBoolean("attention_bias").orElse(false);
        return new LatentAttentionSpec(c.hiddenSize(), c.numAttentionHeads(), qRank, kvRank, nope, rope, v, bias,
                qRank > 0 ? HfPlans.rmsNorm(c, qRank) : null, HfPlans.rmsNorm(c, kvRank),
                (float) (Math.pow(nope + rope, -0.5) * mscaleSquared(c.rope())));
    }

    /** HF: with a RoPE type other than default and mscale_all_dim, scale · mscale² (yarn_get_mscale). */
    private static double mscaleSquared(RopeParameters p) {
        double mscaleAllDim = p.mscaleAllDim().orElse(0.0);
        double factor = p.factor().orElse(1.0);
        if (p.ropeType() == RopeType.DEFAULT || mscaleAllDim == 0 || factor <= 1) {
            return 1;
        }
        double mscale = 0.1 * mscaleAllDim * Math.log(factor) + 1;
        return mscale * mscale;
    }

    /** RoPE on the qk_rope_head_dim part only, interleaved pairs unless rope_interleave is false. */
    private static RotarySpec rotary(HfConfig c, int rope) {
        RopeParameters p = c.rope();
        if (!(p.theta() > 0) || Double.isInfinite(p.theta())) {
            throw c.json().error("rope_theta", "expected a positive number, found " + p.theta());
        }
        // the order of the rotated elements differs from HF's (which de-interleaves them first), not q·k
        RotaryStyle style = c.json().optionalBoolean("rope_interleave").orElse(true)
                ? RotaryStyle.INTERLEAVED : RotaryStyle.HALF;
        return new RotarySpec(rope, rope, HfPlans.rope(c, p), HfPlans.maxPositions(c), style,
                HfPlans.parameterDType(c));
    }

    /** Sigmoid scores, e_score_correction_bias, n_group / topk_group, routed_scaling_factor; shared experts. */
    private static MoeSpec moe(HfConfig c, Activation act) {
        ConfigJson json = c.json();
        int hidden = c.hiddenSize();
        float scaling = json.optionalDouble("routed_scaling_factor").orElse(2.5).floatValue();
        RouterSpec router = MoePlans.groupedRouter(c, "n_routed_experts", 256, 8, 8, 4, RouterSpec.Scoring.SIGMOID,
                json.optionalBoolean("norm_topk_prob").orElse(true), true, scaling);
        int expertWidth = MoePlans.count(c, "moe_intermediate_size", 2048);
        int shared = json.optionalInt("n_shared_experts").orElse(1);
        if (shared < 0) {
            throw json.wrongType("n_shared_experts", "a non-negative integer", json.raw().get("n_shared_experts"));
        }
        MlpSpec expert = new MlpSpec(hidden, expertWidth, act, true, false);
        return new MoeSpec(router, expert, shared > 0 ? new MlpSpec(hidden, expertWidth * shared, act, true, false)
                : null, false);
    }

    /** DeepSeek's names: shared_experts (one MLP of all shared experts); the MTP layers after the last ignored. */
    static WeightMapping mapping(int layers, int mtpLayers) {
        WeightMapping.Builder b = WeightMapping.builder()
                .rename("model.layers.*.mlp.shared_expert", "model.layers.*.mlp.shared_experts");
        for (int l = layers; l < layers + mtpLayers; l++) {
            b.ignoreUnder("model.layers." + l);
        }
        return b.build();
    }
}
