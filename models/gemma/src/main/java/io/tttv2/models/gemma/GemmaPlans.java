package io.tttv2.models.gemma;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * config.json → the plan of a Gemma model (transformers' {@code modeling_gemma.py}). The checkpoint already uses
 * the kit's (Llama's) names.
 */
final class GemmaPlans {

    static final String ARCHITECTURE = "GemmaForCausalLM";

    private GemmaPlans() {
    }

    static DecoderModel of(HfConfig c) {
        HfPlans.requireCausal(c.json());
        // differs from Llama: RMSNorm scales by (1 + w)
        NormSpec norm = new NormSpec(c.hiddenSize(), NormSpec.NormKind.RMS, HfPlans.rmsNorm(c, c.hiddenSize()).eps(), 1f,
                false);
        // differs from Llama: GeGLU; transformers 5 reads hidden_act (not hidden_activation), default gelu_pytorch_tanh
        MlpSpec mlp = new MlpSpec(c.hiddenSize(), c.intermediateSize(),
                Activation.of(c.json().optionalString("hidden_act").orElse("gelu_pytorch_tanh")), true, false);
        AttentionSpec attention = new AttentionSpec(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(),
                c.headDim(), c.attentionBias(), c.attentionBias(), AttentionSpec.QkNorm.NONE, null, 0, 0f,
                (float) Math.pow(c.headDim(), -0.5));
        RotarySpec rotary = HfPlans.rotary(c, HfConfig.FULL_ATTENTION);
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            layers.add(LayerPlan.of(ResidualPattern.PRE_NORM, norm, attention, rotary, mlp));
        }
        // differs from Llama: embeddings times sqrt(hidden), a constant HF casts to the weights' dtype first
        EmbeddingSpec embedding = new EmbeddingSpec(c.vocabSize(), c.hiddenSize(),
                HfPlans.cast(Math.sqrt(c.hiddenSize()), HfPlans.parameterDType(c)));
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, embedding, null, layers, norm,
                new LmHeadSpec(c.hiddenSize(), c.vocabSize(), 0f), c.tieWordEmbeddings(), HfPlans.maxPositions(c),
                c.eosTokenIds(), HfPlans.parameterDType(c));
        return new DecoderModel(plan, WeightMapping.identity());
    }
}
