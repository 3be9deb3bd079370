package io.tttv2.models.olmo2;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * config.json → the plan of an OLMo 2 model (transformers' {@code modeling_olmo2.py}); the checkpoint uses the
 * kit's names.
 */
final class Olmo2Plans {

    static final String ARCHITECTURE = "Olmo2ForCausalLM";

    /** Olmo2Config's {@code rms_norm_eps} when config.json has none (Llama's is 1e-6). */
    private static final double DEFAULT_EPS = 1e-5;

    private Olmo2Plans() {
    }

    static DecoderModel of(HfConfig c) {
        float eps = c.rmsNormEps().orElse(DEFAULT_EPS).floatValue();
        NormSpec norm = NormSpec.rms(c.hiddenSize(), eps);
        int headDim = c.headDim();
        // differs from Llama: q and k are RMS-normed over the whole projection ([heads·D] and [kvHeads·D]), before RoPE
        AttentionSpec attention = new AttentionSpec(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(), headDim,
                c.attentionBias(), c.attentionBias(), AttentionSpec.QkNorm.FULL,
                NormSpec.rms(c.numAttentionHeads() * headDim, eps), 0, 0f, (float) (1.0 / Math.sqrt(headDim)));
        // differs from Llama: the whole head rotates — Olmo2RotaryEmbedding and apply_rotary_pos_emb ignore
        // partial_rotary_factor
        RotarySpec rotary = new RotarySpec(headDim, headDim, HfPlans.rope(c, c.rope()), HfPlans.maxPositions(c),
                RotaryStyle.HALF, HfPlans.parameterDType(c));
        // differs from Llama: the MLP never has biases (mlp_bias is not read)
        MlpSpec mlp = new MlpSpec(c.hiddenSize(), c.intermediateSize(), Activation.of(c.hiddenAct().orElse("silu")), true,
                false);
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            // differs from Llama: no input norm; post_attention_layernorm and post_feedforward_layernorm norm the
            // attention's and the MLP's outputs before each residual add
            layers.add(LayerPlan.of(ResidualPattern.POST_NORM, norm, attention, rotary, mlp));
        }
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, new EmbeddingSpec(c.vocabSize(), c.hiddenSize(), 1f), null,
                layers, norm, new LmHeadSpec(c.hiddenSize(), c.vocabSize(), 0f), tiedHead(c), HfPlans.maxPositions(c),
                c.eosTokenIds(), HfPlans.parameterDType(c));
        return new DecoderModel(plan, WeightMapping.identity());
    }

    /** Olmo2Config's {@code tie_word_embeddings} defaults to false (transformers' base default is true). */
    private static boolean tiedHead(HfConfig c) {
        return c.raw().has("tie_word_embeddings") && c.tieWordEmbeddings();
    }
}
