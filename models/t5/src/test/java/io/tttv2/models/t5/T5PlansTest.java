package io.tttv2.models.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.EncoderLayerSpec.EncoderResidual;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.CrossDecoderLayerPlan;
import io.tttv2.models.kit.EncoderDecoderModel;
import io.tttv2.models.kit.EncoderDecoderPlan;
import io.tttv2.models.kit.EncoderPlan;
import io.tttv2.models.kit.WeightMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan and mapping from the t5 fixture's config.json, and from variations of it. */
class T5PlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/t5/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private EncoderDecoderModel model(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        return T5Plans.of(HfConfig.read(file));
    }

    @Test
    void fixturePlanIsAPreNormEncoderDecoderWithRelativeBiasAndUnscaledAttention() throws IOException {
        EncoderDecoderPlan plan = model(c -> { }).plan();
        EncoderPlan encoder = plan.encoder();
        assertEquals(2, encoder.layers().size());
        assertEquals(2, plan.layers().size());
        assertNull(encoder.tokenTypes());
        assertNull(encoder.positions());
        assertNull(encoder.embeddingNorm());
        assertNull(encoder.pooler());
        assertTrue(encoder.relativeBias().bidirectional());
        assertFalse(plan.relativeBias().bidirectional());
        assertEquals(8, plan.relativeBias().numBuckets());
        assertEquals(32, plan.relativeBias().maxDistance());
        assertEquals(EncoderResidual.PRE_NORM, encoder.layers().get(0).pattern());
        AttentionSpec a = encoder.layers().get(0).attention().attention();
        assertEquals(1f, a.scaling(), "T5's attention is unscaled");
        assertEquals(16, a.headDim());
        assertFalse(a.qkvBias() || a.outputBias());
        NormSpec norm = encoder.finalNorm();
        assertEquals(NormSpec.NormKind.RMS, norm.kind());
        assertEquals(1e-6f, norm.eps());
        assertEquals(0f, norm.weightOffset());
        MlpSpec mlp = encoder.layers().get(0).mlp();
        assertTrue(mlp.gated());
        assertEquals(Activation.GELU_TANH, mlp.activation());
        assertEquals(128, mlp.intermediate());
        CrossDecoderLayerPlan layer = plan.layers().get(0);
        assertEquals(64, layer.crossAttention().encoderHidden());
        assertTrue(plan.tiedHead());
        assertEquals(1f, plan.outputScale(), "the fixture's config says scale_decoder_outputs: false");
        assertEquals(0, plan.decoderStartTokenId());
        assertEquals(List.of(1), plan.eosTokenIds());
    }

    @Test
    void olderConfigsScaleTheOutputWhenTheHeadIsTied() throws IOException {
        EncoderDecoderPlan plan = model(c -> c.remove("scale_decoder_outputs")).plan();
        assertEquals(0.125f, plan.outputScale(), "tied head, no scale_decoder_outputs: the output times d_model^-0.5");
        assertEquals(0.125f, model(c -> c.put("scale_decoder_outputs", true)).plan().outputScale());
    }

    @Test
    void originalT5IsReluAndAnUntiedHeadIsUnscaled() throws IOException {
        EncoderDecoderPlan plan = model(c -> {
            c.put("feed_forward_proj", "relu");
            c.remove("dense_act_fn");
            c.remove("is_gated_act");
            c.put("tie_word_embeddings", false);
            c.remove("scale_decoder_outputs");
            c.put("num_decoder_layers", 3);
        }).plan();
        MlpSpec mlp = plan.layers().get(0).mlp();
        assertFalse(mlp.gated());
        assertEquals(Activation.RELU, mlp.activation());
        assertFalse(plan.tiedHead());
        assertEquals(1f, plan.outputScale());
        assertEquals(3, plan.layers().size());
        assertEquals(2, plan.encoder().layers().size());
    }

    @Test
    void mappingReadsT5Names() {
        WeightMapping gated = T5Plans.mapping(true, true);
        assertEquals("shared.weight", gated.source("encoder.embed_tokens.weight").checkpointName());
        assertEquals("shared.weight", gated.source("decoder.embed_tokens.weight").checkpointName());
        assertEquals("encoder.block.1.layer.0.SelfAttention.q.weight",
                gated.source("encoder.layers.1.self_attn.q_proj.weight").checkpointName());
        assertEquals("encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                gated.source("encoder.relative_attention_bias.weight").checkpointName());
        assertEquals("decoder.block.1.layer.1.EncDecAttention.v.weight",
                gated.source("decoder.layers.1.cross_attn.v_proj.weight").checkpointName());
        assertEquals("decoder.block.0.layer.2.DenseReluDense.wi_0.weight",
                gated.source("decoder.layers.0.mlp.gate_proj.weight").checkpointName());
        assertEquals("decoder.block.0.layer.2.DenseReluDense.wi_1.weight",
                gated.source("decoder.layers.0.mlp.up_proj.weight").checkpointName());
        assertEquals("decoder.block.0.layer.2.layer_norm.weight",
                gated.source("decoder.layers.0.mlp_norm.weight").checkpointName());
        assertEquals("decoder.final_layer_norm.weight", gated.source("decoder.norm.weight").checkpointName());
        assertTrue(gated.ignores("lm_head.weight"));
        WeightMapping relu = T5Plans.mapping(false, false);
        assertEquals("encoder.block.0.layer.1.DenseReluDense.wi.weight",
                relu.source("encoder.layers.0.mlp.up_proj.weight").checkpointName());
        assertFalse(relu.ignores("lm_head.weight"));
    }
}
