package io.tttv2.models.phi3;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.config.RopeParameters;
import io.tttv2.integration.hf.config.RopeType;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * config.json → the plan of a Phi-3 model (transformers' {@code modeling_phi3.py}, Phi-3 and Phi-4-mini), and the
 * mapping of its fused projections onto the kit's q/k/v and gate/up.
 */
final class Phi3Plans {

    static final String ARCHITECTURE = "Phi3ForCausalLM";

    /** Phi3Config's {@code rms_norm_eps} when config.json has none (Llama's is 1e-6). */
    private static final double DEFAULT_EPS = 1e-5;

    /** Phi3Config's {@code original_max_position_embeddings} when config.json has none. */
    private static final int DEFAULT_ORIGINAL_MAX_POSITIONS = 4096;

    private Phi3Plans() {
    }

    static DecoderModel of(HfConfig c) {
        NormSpec norm = NormSpec.rms(c.hiddenSize(), c.rmsNormEps().orElse(DEFAULT_EPS).floatValue());
        // differs from Llama: no biases whatever attention_bias says; every layer slides when sliding_window is set
        // (Phi3Model builds its mask with create_sliding_window_causal_mask then)
        AttentionSpec attention = new AttentionSpec(c.hiddenSize(), c.numAttentionHeads(), c.numKeyValueHeads(),
                c.headDim(), false, false, AttentionSpec.QkNorm.NONE, null, c.slidingWindow().orElse(0), 0f,
                (float) (1.0 / Math.sqrt(c.headDim())));
        RotarySpec rotary = rotary(c);
        // differs from Llama: the MLP never has biases (mlp_bias is not read)
        MlpSpec mlp = new MlpSpec(c.hiddenSize(), c.intermediateSize(), Activation.of(c.hiddenAct().orElse("silu")), true,
                false);
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            layers.add(LayerPlan.of(ResidualPattern.PRE_NORM, norm, attention, rotary, mlp));
        }
        // Phi3Config's tie_word_embeddings defaults to false (transformers' base default is true); Phi-4-mini ties
        boolean tied = c.raw().has("tie_word_embeddings") && c.tieWordEmbeddings();
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, new EmbeddingSpec(c.vocabSize(), c.hiddenSize(), 1f), null,
                layers, norm, new LmHeadSpec(c.hiddenSize(), c.vocabSize(), 0f), tied, HfPlans.maxPositions(c),
                c.eosTokenIds(), HfPlans.parameterDType(c));
        // differs from Llama: q, k, v rows in one qkv_proj and gate, up rows in one gate_up_proj (views, no copies)
        WeightMapping mapping = WeightMapping.builder()
                .split("model.layers.*.self_attn.qkv_proj", "model.layers.*.self_attn.q_proj",
                        "model.layers.*.self_attn.k_proj", "model.layers.*.self_attn.v_proj")
                .split("model.layers.*.mlp.gate_up_proj", "model.layers.*.mlp.gate_proj", "model.layers.*.mlp.up_proj")
                .build();
        return new DecoderModel(plan, mapping);
    }

    /**
     * Plain RoPE or LongRoPE over the leading {@code partial_rotary_factor} of each head (Phi-4-mini rotates ¾).
     * Phi3Config accepts no other type; its legacy {@code su} and {@code yarn} mean longrope.
     */
    private static RotarySpec rotary(HfConfig c) {
        RotarySpec plain = HfPlans.rotary(c, HfConfig.FULL_ATTENTION);
        RopeParameters p = c.rope();
        String key = c.raw().has("rope_parameters") ? "rope_parameters" : "rope_scaling";
        return switch (p.ropeType()) {
            case DEFAULT -> plain;
            case LONGROPE, YARN -> {
                int pairs = plain.rotaryDim() / 2;
                checkFactors(c, key + ".short_factor", p.shortFactor(), pairs);
                checkFactors(c, key + ".long_factor", p.longFactor(), pairs);
                yield new RotarySpec(plain.headDim(), plain.rotaryDim(), HfPlans.rope(c, longrope(c, p)),
                        plain.maxPositions(), plain.style(), plain.frequencyDType());
            }
            default -> throw c.json().error(key, "expected rope_type 'default' or 'longrope' (Phi3ForCausalLM), found '"
                    + p.ropeType().hfName() + "'");
        };
    }

    /**
     * The parameters as Phi3Config standardises them: a top-level {@code original_max_position_embeddings}
     * (4096 when absent) takes priority over one inside the RoPE parameters.
     */
    private static RopeParameters longrope(HfConfig c, RopeParameters p) {
        int original = c.json().optionalInt("original_max_position_embeddings").orElse(DEFAULT_ORIGINAL_MAX_POSITIONS);
        return new RopeParameters(RopeType.LONGROPE, p.theta(), p.partialRotaryFactor(), p.factor(), p.lowFreqFactor(),
                p.highFreqFactor(), Optional.of(original), p.betaFast(), p.betaSlow(), p.attentionFactor(), p.mscale(),
                p.mscaleAllDim(), p.truncate(), p.shortFactor(), p.longFactor());
    }

    /** One factor per rotated pair, as Phi3Config.validate_rope requires. */
    private static void checkFactors(HfConfig c, String key, List<Double> factors, int pairs) {
        if (factors.size() != pairs) {
            throw c.json().error(key, "expected " + pairs + " factors (one per rotated pair of the rotary dim "
                    + 2 * pairs + "), found " + factors.size());
        }
    }
}
