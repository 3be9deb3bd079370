package io.tttv2.models.gemma3;

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
import io.tttv2.integration.hf.config.RopeParameters;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * config.json → the plan of a Gemma 3 text model (transformers' {@code modeling_gemma3.py},
 * {@code Gemma3TextConfig}'s defaults for absent keys; a key set to null turns its feature off). The checkpoint
 * uses the kit's names.
 */
final class Gemma3Plans {

    static final String ARCHITECTURE = "Gemma3ForCausalLM";

    private Gemma3Plans() {
    }

    static DecoderModel of(HfConfig c) {
        ConfigJson json = c.json();
        HfPlans.requireCausal(json);
        // differs from Llama: RMSNorm scales by (1 + w), and it also norms the attention's and the MLP's outputs
        float eps = HfPlans.rmsNorm(c, c.hiddenSize()).eps();
        NormSpec norm = new NormSpec(c.hiddenSize(), NormSpec.NormKind.RMS, eps, 1f, false);
        // differs from Llama: GeGLU, from hidden_activation (hidden_act is not read)
        MlpSpec mlp = new MlpSpec(c.hiddenSize(), c.intermediateSize(),
                Activation.of(json.optionalString("hidden_activation").orElse("gelu_pytorch_tanh")), true, false);
        // differs from Llama: scores scale by query_pre_attn_scalar^-½ (attn_logit_softcapping is not applied:
        // Gemma 3's attention does not pass it on); q and k are RMS-normed per head with (1 + w) before RoPE
        float scaling = (float) Math.pow(HfPlans.positive(json, "query_pre_attn_scalar", 256, false), -0.5);
        NormSpec qkNorm = new NormSpec(c.headDim(), NormSpec.NormKind.RMS, eps, 1f, false);
        int window = (int) HfPlans.positive(json, "sliding_window", 4096, true);
        int pattern = slidingPattern(json);
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            // differs from Llama: sliding layers (without layer_types, all but every pattern-th) with their own RoPE
            String type = !c.layerTypes().isEmpty() ? c.layerType(l)
                    : (l + 1) % pattern == 0 ? HfConfig.FULL_ATTENTION : HfConfig.SLIDING_ATTENTION;
            boolean slides = HfConfig.SLIDING_ATTENTION.equals(type);
            AttentionSpec attention = new AttentionSpec(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(),
                    c.headDim(), c.attentionBias(), c.attentionBias(), AttentionSpec.QkNorm.PER_HEAD, qkNorm,
                    slides ? window : 0, 0f, scaling);
            RotarySpec rotary = HfPlans.rotary(c, rope(c, slides));
            layers.add(LayerPlan.of(ResidualPattern.PRE_AND_POST_NORM, norm, attention, rotary, mlp));
        }
        // differs from Llama: embeddings times sqrt(hidden), a constant HF casts to the weights' dtype first
        EmbeddingSpec embedding = new EmbeddingSpec(c.vocabSize(), c.hiddenSize(),
                HfPlans.cast(Math.sqrt(c.hiddenSize()), HfPlans.parameterDType(c)));
        // differs from Llama: the logits are soft-capped when final_logit_softcapping is set
        LmHeadSpec lmHead = new LmHeadSpec(c.hiddenSize(), c.vocabSize(),
                (float) HfPlans.positive(json, "final_logit_softcapping", 0, true));
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, embedding, null, layers, norm, lmHead, c.tieWordEmbeddings(),
                HfPlans.maxPositions(c), c.eosTokenIds(), HfPlans.parameterDType(c));
        return new DecoderModel(plan, WeightMapping.identity());
    }

    /**
     * The RoPE of full or sliding layers, as Gemma3TextConfig completes it: {@code rope_parameters} per layer type;
     * else (older configs) {@code rope_theta} and {@code rope_scaling} for full layers, {@code rope_local_base_freq}
     * unscaled for sliding ones; a missing base is 1e6 for full layers and 1e4 for sliding ones.
     */
    private static RopeParameters rope(HfConfig c, boolean sliding) {
        ConfigJson json = c.json();
        String type = sliding ? HfConfig.SLIDING_ATTENTION : HfConfig.FULL_ATTENTION;
        Optional<ConfigJson> own = json.optionalObject("rope_parameters").flatMap(p -> p.optionalObject(type));
        double legacyTheta = json.optionalDouble(sliding ? "rope_local_base_freq" : "rope_theta")
                .orElse(sliding ? 10_000.0 : 1_000_000.0);
        if (own.isPresent()) {
            return own.get().has("rope_theta") ? c.rope(type) : withTheta(c.rope(type), legacyTheta);
        }
        if (sliding) {
            return RopeParameters.plain(legacyTheta, c.partialRotaryFactor());
        }
        boolean stated = json.has("rope_theta")
                || json.optionalObject("rope_parameters").map(p -> p.has("rope_theta")).orElse(false);
        return stated ? c.rope(type) : withTheta(c.rope(type), legacyTheta);
    }

    private static RopeParameters withTheta(RopeParameters p, double theta) {
        return new RopeParameters(p.ropeType(), theta, p.partialRotaryFactor(), p.factor(), p.lowFreqFactor(),
                p.highFreqFactor(), p.originalMaxPositionEmbeddings(), p.betaFast(), p.betaSlow(), p.attentionFactor(),
                p.mscale(), p.mscaleAllDim(), p.truncate(), p.shortFactor(), p.longFactor());
    }

    /** Older configs: {@code sliding_window_pattern} (or the saved {@code _sliding_window_pattern}), default 6. */
    private static int slidingPattern(ConfigJson json) {
        String key = json.has("sliding_window_pattern") ? "sliding_window_pattern" : "_sliding_window_pattern";
        int pattern = json.optionalInt(key).orElse(6);
        if (pattern <= 0) {
            throw json.wrongType(key, "a positive integer", json.raw().get(key));
        }
        return pattern;
    }

}
