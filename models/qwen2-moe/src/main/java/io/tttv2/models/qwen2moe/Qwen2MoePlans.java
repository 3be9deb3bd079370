package io.tttv2.models.qwen2moe;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.MoePlans;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * config.json → the plan of a Qwen2-MoE model: Qwen2's attention; a mixture of experts with a gated shared
 * expert in every sparse layer, a dense MLP in the others. The checkpoint uses the kit's names.
 */
final class Qwen2MoePlans {

    static final String ARCHITECTURE = "Qwen2MoeForCausalLM";
    // Qwen2MoeConfig's defaults
    private static final int DEFAULT_EXPERTS = 60;
    private static final int DEFAULT_TOP_K = 4;
    private static final int DEFAULT_MOE_INTERMEDIATE = 1408;
    private static final int DEFAULT_SHARED_INTERMEDIATE = 5632;

    private Qwen2MoePlans() {
    }

    static DecoderModel of(HfConfig c) {
        ConfigJson json = c.json();
        int hidden = c.hiddenSize();
        Activation act = Activation.of(c.hiddenAct().orElse("silu"));
        NormSpec norm = HfPlans.rmsNorm(c, hidden);
        RotarySpec rotary = HfPlans.rotary(c, HfConfig.FULL_ATTENTION);
        // differs from Qwen2: softmax top-k over num_experts, renormalised only if norm_topk_prob; experts of
        // moe_intermediate_size; a shared expert of shared_expert_intermediate_size scaled by
        // sigmoid(shared_expert_gate(x))
        RouterSpec router = MoePlans.router(c, "num_experts", DEFAULT_EXPERTS, DEFAULT_TOP_K,
                RouterSpec.Scoring.SOFTMAX, json.optionalBoolean("norm_topk_prob").orElse(false));
        MoeSpec moe = new MoeSpec(router,
                new MlpSpec(hidden, MoePlans.count(c, "moe_intermediate_size", DEFAULT_MOE_INTERMEDIATE), act, true, false),
                new MlpSpec(hidden, MoePlans.count(c, "shared_expert_intermediate_size", DEFAULT_SHARED_INTERMEDIATE),
                        act, true, false),
                true);
        MlpSpec dense = new MlpSpec(hidden, c.intermediateSize(), act, true, false);
        int sparseStep = MoePlans.count(c, "decoder_sparse_step", 1);
        List<Integer> mlpOnly = json.intOrIntList("mlp_only_layers");
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            LayerPlan layer = LayerPlan.of(ResidualPattern.PRE_NORM, norm, attention(c, l), rotary, dense);
            // as HF: sparse unless listed in mlp_only_layers, on every decoder_sparse_step-th layer
            boolean sparse = !mlpOnly.contains(l) && (l + 1) % sparseStep == 0;
            layers.add(sparse ? layer.withMoe(moe) : layer);
        }
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, new EmbeddingSpec(c.vocabSize(), hidden, 1f), null, layers,
                norm, new LmHeadSpec(hidden, c.vocabSize(), 0f), c.tieWordEmbeddings(), HfPlans.maxPositions(c),
                c.eosTokenIds(), HfPlans.parameterDType(c));
        return new DecoderModel(plan, WeightMapping.identity());
    }

    /** As Qwen2: q/k/v biased (qkv_bias, true when absent), o_proj not; windows from layer_types or max_window_layers. */
    private static AttentionSpec attention(HfConfig c, int layer) {
        boolean qkvBias = c.json().optionalBoolean("qkv_bias").orElse(true);
        boolean slides = c.layerTypes().isEmpty()
                ? c.useSlidingWindow() && layer >= c.maxWindowLayers().orElse(0)
                : HfConfig.SLIDING_ATTENTION.equals(c.layerType(layer));
        int window = slides ? c.slidingWindow().orElse(0) : 0;
        return new AttentionSpec(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(), qkvBias,
                false, AttentionSpec.QkNorm.NONE, null, window, 0f, (float) (1.0 / Math.sqrt(c.headDim())));
    }
}
