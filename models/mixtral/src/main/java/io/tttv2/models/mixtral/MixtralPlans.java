package io.tttv2.models.mixtral;

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
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.MoePlans;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/** config.json → the plan of a Mixtral model: Mistral's attention, a mixture of experts in every layer. */
final class MixtralPlans {

    static final String ARCHITECTURE = "MixtralForCausalLM";
    private static final int DEFAULT_EXPERTS = 8;       // MixtralConfig's num_local_experts
    private static final int DEFAULT_TOP_K = 2;         // and num_experts_per_tok

    private MixtralPlans() {
    }

    static DecoderModel of(HfConfig c) {
        int hidden = c.hiddenSize();
        NormSpec norm = HfPlans.rmsNorm(c, hidden);
        RotarySpec rotary = HfPlans.rotary(c, HfConfig.FULL_ATTENTION);
        // differs from Mistral: the MLP is block_sparse_moe, softmax top-k over num_local_experts, the picked
        // weights always renormalised to sum to one; each expert a SwiGLU MLP of intermediate_size (w1, w3, w2)
        RouterSpec router = MoePlans.router(c, "num_local_experts", DEFAULT_EXPERTS, DEFAULT_TOP_K,
                RouterSpec.Scoring.SOFTMAX, true);
        MlpSpec expert = new MlpSpec(hidden, c.intermediateSize(), Activation.of(c.hiddenAct().orElse("silu")), true,
                false);
        MoeSpec moe = new MoeSpec(router, expert, null, false);
        // as Mistral: no attention biases; every layer slides when sliding_window is set
        AttentionSpec attention = new AttentionSpec(hidden, c.numAttentionHeads(), c.numKeyValueHeads(), c.headDim(),
                false, false, AttentionSpec.QkNorm.NONE, null, c.slidingWindow().orElse(0), 0f,
                (float) (1.0 / Math.sqrt(c.headDim())));
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            layers.add(new LayerPlan(ResidualPattern.PRE_NORM, norm, attention, rotary, norm, null, null, null, moe));
        }
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, new EmbeddingSpec(c.vocabSize(), hidden, 1f), null, layers,
                norm, new LmHeadSpec(hidden, c.vocabSize(), 0f), c.tieWordEmbeddings(), HfPlans.maxPositions(c),
                c.eosTokenIds(), HfPlans.parameterDType(c));
        return new DecoderModel(plan, mapping());
    }

    /** Mixtral's names: the layer's MoE is block_sparse_moe; an expert's w1 is gate_proj, w3 up_proj, w2 down_proj. */
    static WeightMapping mapping() {
        return WeightMapping.builder()
                .rename("model.layers.*.mlp", "model.layers.*.block_sparse_moe")
                .rename("model.layers.*.mlp.experts.*.gate_proj", "model.layers.*.block_sparse_moe.experts.*.w1")
                .rename("model.layers.*.mlp.experts.*.up_proj", "model.layers.*.block_sparse_moe.experts.*.w3")
                .rename("model.layers.*.mlp.experts.*.down_proj", "model.layers.*.block_sparse_moe.experts.*.w2")
                .build();
    }
}
