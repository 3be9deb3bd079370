package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.CrossAttentionSpec;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.EncoderLayerSpec.EncoderResidual;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PoolerSpec;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.modules.RelativePositionBiasSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.tensor.DType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What encoder and encoder–decoder plans ask of each kind, and the weights they expect. */
class EncoderPlanVariantsTest {

    private static final AttentionSpec BIASED = new AttentionSpec(8, 2, 2, 4, true, true, AttentionSpec.QkNorm.NONE,
            null, 0, 0f, 0.5f);
    private static final AttentionSpec PLAIN = new AttentionSpec(8, 2, 2, 4, false, false, AttentionSpec.QkNorm.NONE,
            null, 0, 0f, 1f);
    private static final NormSpec LAYER = new NormSpec(8, NormSpec.NormKind.LAYER, 1e-12f, 0f, true);
    private static final NormSpec RMS = NormSpec.rms(8, 1e-6f);

    static EncoderPlan bertLike() {
        EncoderLayerPlan layer = new EncoderLayerPlan(EncoderResidual.NORM_AFTER_RESIDUAL,
                EncoderAttentionSpec.bidirectional(BIASED), LAYER, new MlpSpec(8, 16, Activation.GELU, false, true), LAYER);
        return new EncoderPlan("BertModel", new EmbeddingSpec(32, 8, 1f), new EmbeddingSpec(2, 8, 1f),
                new PositionEmbeddingSpec(16, 8), null, LAYER, List.of(layer, layer), null, new PoolerSpec(8), 16, DType.F32, null);
    }

    static EncoderDecoderPlan t5Like() {
        MlpSpec gated = new MlpSpec(8, 16, Activation.GELU_TANH, true, false);
        EncoderLayerPlan layer = new EncoderLayerPlan(EncoderResidual.PRE_NORM, EncoderAttentionSpec.bidirectional(PLAIN),
                RMS, gated, RMS);
        EncoderPlan encoder = new EncoderPlan("T5ForConditionalGeneration", new EmbeddingSpec(32, 8, 1f), null, null,
                new RelativePositionBiasSpec(2, 8, 16, true), null, List.of(layer), RMS, null, 16, DType.F32, null);
        CrossDecoderLayerPlan decoderLayer = new CrossDecoderLayerPlan(PLAIN, RMS, CrossAttentionSpec.of(PLAIN), RMS, gated, RMS);
        return new EncoderDecoderPlan("T5ForConditionalGeneration", encoder, new EmbeddingSpec(32, 8, 1f),
                new RelativePositionBiasSpec(2, 8, 16, false), List.of(decoderLayer), RMS, 1f, new LmHeadSpec(8, 32, 0f),
                true, 0, 16, List.of(1), DType.F32);
    }

    @Test
    void anEncoderAsksForItsKindsWithTheVariantsItUses() {
        EncoderPlan plan = bertLike();
        assertEquals(Set.of(ModuleKind.NORM, ModuleKind.ENCODER_ATTENTION, ModuleKind.MLP, ModuleKind.EMBEDDING,
                ModuleKind.ENCODER_LAYER, ModuleKind.DEVICE, ModuleKind.POSITION_EMBEDDING, ModuleKind.POOLER),
                EncoderPlanVariants.kinds(plan));
        assertEquals(List.of("bidirectional", "padding-mask", "mha", "qkv-bias", "output-bias"),
                EncoderPlanVariants.of(ModuleKind.ENCODER_ATTENTION, plan));
        assertEquals(List.of("norm-after-residual"), EncoderPlanVariants.of(ModuleKind.ENCODER_LAYER, plan));
        assertEquals(List.of("gelu", "bias"), EncoderPlanVariants.of(ModuleKind.MLP, plan));
        assertEquals(List.of("layer", "bias"), EncoderPlanVariants.of(ModuleKind.NORM, plan));
        assertEquals(List.of("tanh"), EncoderPlanVariants.of(ModuleKind.POOLER, plan));
    }

    @Test
    void anEncoderExpectsEveryWeightItsModulesRead() {
        Map<String, long[]> w = EncoderExpectedWeights.of(bertLike());
        assertArrayEquals(new long[] {2, 8}, w.get("encoder.embed_token_types.weight"));
        assertArrayEquals(new long[] {16, 8}, w.get("encoder.embed_positions.weight"));
        assertArrayEquals(new long[] {8}, w.get("encoder.embed_norm.bias"));
        assertArrayEquals(new long[] {8, 8}, w.get("encoder.layers.1.self_attn.o_proj.weight"));
        assertArrayEquals(new long[] {16}, w.get("encoder.layers.1.mlp.up_proj.bias"));
        assertArrayEquals(new long[] {8}, w.get("encoder.layers.0.mlp_norm.weight"));
        assertArrayEquals(new long[] {8, 8}, w.get("pooler.dense.weight"));
        assertFalse(w.containsKey("encoder.norm.weight"));
        assertFalse(w.containsKey("encoder.layers.0.mlp.gate_proj.weight"));
    }

    @Test
    void anEncoderDecoderAddsTheDecodersKindsAndWeights() {
        EncoderDecoderPlan plan = t5Like();
        Set<ModuleKind> kinds = EncoderDecoderPlanVariants.kinds(plan);
        assertTrue(kinds.containsAll(Set.of(ModuleKind.RELATIVE_POSITION_BIAS, ModuleKind.BIASED_ATTENTION,
                ModuleKind.CROSS_ATTENTION, ModuleKind.LM_HEAD, ModuleKind.ENCODER_ATTENTION, ModuleKind.ENCODER_LAYER)));
        assertFalse(kinds.contains(ModuleKind.POOLER));
        assertEquals(List.of("bidirectional", "unidirectional"),
                EncoderDecoderPlanVariants.of(ModuleKind.RELATIVE_POSITION_BIAS, plan));
        assertEquals(List.of("bidirectional", "padding-mask", "additive-bias", "mha"),
                EncoderDecoderPlanVariants.of(ModuleKind.ENCODER_ATTENTION, plan));
        assertEquals(List.of("causal", "additive-bias", "mha"), EncoderDecoderPlanVariants.of(ModuleKind.BIASED_ATTENTION, plan));
        assertEquals(List.of("tied"), EncoderDecoderPlanVariants.of(ModuleKind.LM_HEAD, plan));
        assertEquals(List.of("geglu"), EncoderDecoderPlanVariants.of(ModuleKind.MLP, plan));
        Map<String, long[]> w = EncoderDecoderExpectedWeights.of(plan);
        assertArrayEquals(new long[] {8, 2}, w.get("encoder.relative_attention_bias.weight"));
        assertArrayEquals(new long[] {8, 2}, w.get("decoder.relative_attention_bias.weight"));
        assertArrayEquals(new long[] {8, 8}, w.get("decoder.layers.0.cross_attn.k_proj.weight"));
        assertArrayEquals(new long[] {16, 8}, w.get("decoder.layers.0.mlp.gate_proj.weight"));
        assertArrayEquals(new long[] {8}, w.get("decoder.norm.weight"));
        assertFalse(w.containsKey("lm_head.weight"), "the head is tied");
    }
}
