package io.tttv2.models.gemma2;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * config.json → the plan of a Gemma 2 model (transformers' {@code modeling_gemma2.py}, {@code Gemma2Config}'s
 * defaults for absent keys; a key set to null turns its feature off). The checkpoint uses the kit's names.
 */
final class Gemma2Plans {

    static final String ARCHITECTURE = "Gemma2ForCausalLM";

    private Gemma2Plans() {
    }

    static DecoderModel of(HfConfig c) {
        ConfigJson json = c.json();
        HfPlans.requireCausal(json);
        // differs from Llama: RMSNorm scales by (1 + w), and it also norms the attention's and the MLP's outputs
        NormSpec norm = new NormSpec(c.hiddenSize(), NormSpec.NormKind.RMS, HfPlans.rmsNorm(c, c.hiddenSize()).eps(), 1f,
                false);
        // differs from Llama: GeGLU, from hidden_activation (hidden_act is not read)
        MlpSpec mlp = new MlpSpec(c.hiddenSize(), c.intermediateSize(),
                Activation.of(json.optionalString("hidden_activation").orElse("gelu_pytorch_tanh")), true, false);
        // differs from Llama: scores scale by query_pre_attn_scalar^-½ and are soft-capped
        float scaling = (float) Math.pow(HfPlans.positive(json, "query_pre_attn_scalar", 256, false), -0.5);
        float softcap = (float) HfPlans.positive(json, "attn_logit_softcapping", 50, true);
        int window = (int) HfPlans.positive(json, "sliding_window", 4096, true);
        RotarySpec rotary = HfPlans.rotary(c, HfConfig.FULL_ATTENTION);
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            // differs from Llama: layers alternate sliding and full attention (without layer_types: even ones slide)
            boolean slides = c.layerTypes().isEmpty() ? l % 2 == 0 : HfConfig.SLIDING_ATTENTION.equals(c.layerType(l));
            AttentionSpec attention = new AttentionSpec(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(),
                    c.headDim(), c.attentionBias(), c.attentionBias(), AttentionSpec.QkNorm.NONE, null,
                    slides ? window : 0, softcap, scaling);
            layers.add(LayerPlan.of(ResidualPattern.PRE_AND_POST_NORM, norm, attention, rotary, mlp));
        }
        // differs from Llama: embeddings times sqrt(hidden), a constant HF casts to the weights' dtype first
        EmbeddingSpec embedding = new EmbeddingSpec(c.vocabSize(), c.hiddenSize(),
                HfPlans.cast(Math.sqrt(c.hiddenSize()), HfPlans.parameterDType(c)));
        // differs from Llama: the logits are soft-capped
        LmHeadSpec lmHead = new LmHeadSpec(c.hiddenSize(), c.vocabSize(),
                (float) HfPlans.positive(json, "final_logit_softcapping", 30, true));
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, embedding, null, layers, norm, lmHead, c.tieWordEmbeddings(),
                HfPlans.maxPositions(c), c.eosTokenIds(), HfPlans.parameterDType(c));
        return new DecoderModel(plan, WeightMapping.identity());
    }

}
