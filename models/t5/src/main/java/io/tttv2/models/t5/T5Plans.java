package io.tttv2.models.t5;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.CrossAttentionSpec;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.EncoderLayerSpec.EncoderResidual;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.CrossDecoderLayerPlan;
import io.tttv2.models.kit.EncoderDecoderModel;
import io.tttv2.models.kit.EncoderDecoderPlan;
import io.tttv2.models.kit.EncoderLayerPlan;
import io.tttv2.models.kit.EncoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/** T5's config.json → the kit's encoder–decoder plan, and T5's tensor names → the kit's. */
final class T5Plans {

    static final String ARCHITECTURE = "T5ForConditionalGeneration";
    // T5Config's defaults where config.json is silent; T5 has no learned positions, so its length is a choice:
    // the 512 tokens it was trained with, unless n_positions says otherwise
    private static final int DEFAULT_BUCKETS = 32;
    private static final int DEFAULT_MAX_DISTANCE = 128;
    private static final double DEFAULT_EPS = 1e-6;
    private static final int DEFAULT_MAX_POSITIONS = 512;

    private T5Plans() {
    }

    static EncoderDecoderModel of(HfConfig c) {
        ConfigJson json = c.json();
        int hidden = c.hiddenSize();
        int heads = c.numAttentionHeads();
        // differs from Llama: unscaled attention (no 1/sqrt(d), folded into the initialisation), no biases anywhere,
        // positions as a bucketed bias on the scores, RMS norm without mean and weight offset, gated-gelu or ReLU FF
        AttentionSpec attention = new AttentionSpec(hidden, heads, heads, c.headDim(), false, false,
                AttentionSpec.QkNorm.NONE, null, 0, 0f, 1f);
        NormSpec norm = NormSpec.rms(hidden, json.optionalDouble("layer_norm_epsilon").orElse(DEFAULT_EPS).floatValue());
        MlpSpec mlp = mlp(c);
        int buckets = json.optionalInt("relative_attention_num_buckets").orElse(DEFAULT_BUCKETS);
        int maxDistance = json.optionalInt("relative_attention_max_distance").orElse(DEFAULT_MAX_DISTANCE);
        int maxPositions = json.optionalInt("n_positions").orElse(DEFAULT_MAX_POSITIONS);
        EmbeddingSpec shared = new EmbeddingSpec(c.vocabSize(), hidden, 1f);

        List<EncoderLayerPlan> encoderLayers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            encoderLayers.add(new EncoderLayerPlan(EncoderResidual.PRE_NORM, EncoderAttentionSpec.bidirectional(attention),
                    norm, mlp, norm));
        }
        EncoderPlan encoder = new EncoderPlan(ARCHITECTURE, shared, null, null,
                new RelativePositionBiasSpec(heads, buckets, maxDistance, true), null, encoderLayers, norm, null,
                maxPositions, HfPlans.parameterDType(c), null);

        int decoderLayers = json.optionalInt("num_decoder_layers").orElse(c.numHiddenLayers());
        List<CrossDecoderLayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < decoderLayers; l++) {
            layers.add(new CrossDecoderLayerPlan(attention, norm, CrossAttentionSpec.of(attention), norm, mlp, norm));
        }
        boolean tied = c.tieWordEmbeddings();
        // differs from decoder-only LMs: T5 may scale the decoder's output by d_model^-0.5 before the head —
        // as scale_decoder_outputs says (transformers 5 saves it), else when the head is tied (older configs)
        boolean scaled = json.optionalBoolean("scale_decoder_outputs").orElse(tied);
        float outputScale = scaled ? (float) Math.pow(hidden, -0.5) : 1f;
        int start = json.optionalInt("decoder_start_token_id").orElse(c.padTokenId().orElse(0));
        EncoderDecoderPlan plan = new EncoderDecoderPlan(ARCHITECTURE, encoder, shared,
                new RelativePositionBiasSpec(heads, buckets, maxDistance, false), layers, norm, outputScale,
                new LmHeadSpec(hidden, c.vocabSize(), 0f), tied, start, maxPositions, c.eosTokenIds(),
                HfPlans.parameterDType(c));
        return new EncoderDecoderModel(plan, mapping(mlp.gated(), tied));
    }

    /** {@code feed_forward_proj}: "gated-gelu" (T5 v1.1, Flan-T5: gelu_new, HF's compatibility rule) or "relu" (T5). */
    private static MlpSpec mlp(HfConfig c) {
        ConfigJson json = c.json();
        String proj = json.optionalString("feed_forward_proj").orElse("relu");
        boolean gated = proj.startsWith("gated-");
        String act = gated ? proj.substring("gated-".length()) : proj;
        String dense = json.optionalString("dense_act_fn").orElse(act.equals("gelu") && gated ? "gelu_new" : act);
        return new MlpSpec(c.hiddenSize(), c.intermediateSize(), Activation.of(dense), gated, false);
    }

    /** T5's names: blocks of numbered sub-layers; one shared table; the first block owns the bias. */
    static WeightMapping mapping(boolean gated, boolean tied) {
        WeightMapping.Builder b = WeightMapping.builder()
                .rename("encoder.embed_tokens", "shared")
                .rename("decoder.embed_tokens", "shared")
                .rename("encoder.relative_attention_bias", "encoder.block.0.layer.0.SelfAttention.relative_attention_bias")
                .rename("decoder.relative_attention_bias", "decoder.block.0.layer.0.SelfAttention.relative_attention_bias")
                .rename("encoder.norm", "encoder.final_layer_norm")
                .rename("decoder.norm", "decoder.final_layer_norm")
                .ignore("encoder.embed_tokens.weight")          // copies of shared, in some checkpoints
                .ignore("decoder.embed_tokens.weight");
        attention(b, "encoder.layers.*.self_attn", "encoder.block.*.layer.0.SelfAttention");
        b.rename("encoder.layers.*.attention_norm", "encoder.block.*.layer.0.layer_norm");
        mlp(b, "encoder.layers.*.mlp", "encoder.block.*.layer.1.DenseReluDense", gated);
        b.rename("encoder.layers.*.mlp_norm", "encoder.block.*.layer.1.layer_norm");
        attention(b, "decoder.layers.*.self_attn", "decoder.block.*.layer.0.SelfAttention");
        b.rename("decoder.layers.*.self_attn_norm", "decoder.block.*.layer.0.layer_norm");
        attention(b, "decoder.layers.*.cross_attn", "decoder.block.*.layer.1.EncDecAttention");
        b.rename("decoder.layers.*.cross_attn_norm", "decoder.block.*.layer.1.layer_norm");
        mlp(b, "decoder.layers.*.mlp", "decoder.block.*.layer.2.DenseReluDense", gated);
        b.rename("decoder.layers.*.mlp_norm", "decoder.block.*.layer.2.layer_norm");
        if (tied) {
            b.ignore("lm_head.weight");                           // a saved copy of the tied table
        }
        return b.build();
    }

    private static void attention(WeightMapping.Builder b, String kit, String t5) {
        b.rename(kit, t5).rename(kit + ".q_proj", t5 + ".q").rename(kit + ".k_proj", t5 + ".k")
                .rename(kit + ".v_proj", t5 + ".v").rename(kit + ".o_proj", t5 + ".o");
    }

    private static void mlp(WeightMapping.Builder b, String kit, String t5, boolean gated) {
        if (gated) {
            b.rename(kit + ".gate_proj", t5 + ".wi_0").rename(kit + ".up_proj", t5 + ".wi_1");
        } else {
            b.rename(kit + ".up_proj", t5 + ".wi");
        }
        b.rename(kit + ".down_proj", t5 + ".wo");
    }
}
