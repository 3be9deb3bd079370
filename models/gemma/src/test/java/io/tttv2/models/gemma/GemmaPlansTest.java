package io.tttv2.models.gemma;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.LayerPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gemma's differences from Llama, from the fixture's config.json and edited copies of it. */
class GemmaPlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/gemma/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DecoderPlan plan(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        JSON.writeValue(file.toFile(), config);
        return GemmaPlans.of(HfConfig.read(file)).plan();
    }

    @Test
    void fixtureIsLlamaWithOffsetNormsGegluAndScaledEmbeddings() throws IOException {
        DecoderPlan plan = plan(c -> { });
        assertEquals("GemmaForCausalLM", plan.architecture());
        assertEquals(8f, plan.embedding().scale());
        assertEquals(1f, plan.finalNorm().weightOffset());
        assertEquals(0f, plan.lmHead().softcap());
        assertFalse(plan.tiedHead());
        assertNull(plan.positions());
        for (LayerPlan layer : plan.layers()) {
            assertEquals(ResidualPattern.PRE_NORM, layer.pattern());
            for (NormSpec norm : new NormSpec[] {layer.inputNorm(), layer.postAttentionNorm()}) {
                assertEquals(1f, norm.weightOffset());
                assertEquals(NormSpec.NormKind.RMS, norm.kind());
                assertEquals(1e-6f, norm.eps());
            }
            assertTrue(layer.mlp().gated());
            assertFalse(layer.mlp().bias());
            assertEquals(Activation.GELU_TANH, layer.mlp().activation());
            AttentionSpec a = layer.attention();
            assertEquals(0.25f, a.scaling());
            assertEquals(0, a.slidingWindow());
            assertEquals(AttentionSpec.QkNorm.NONE, a.qkNorm());
            assertEquals(10_000.0, layer.rotary().scaling().theta());
        }
    }

    @Test
    void embeddingScaleIsRoundedToTheWeightsDtype() throws IOException {
        // HF: sqrt(3072) = 55.4256 is 55.5 once cast to bfloat16
        DecoderPlan plan = plan(c -> c.put("hidden_size", 3072).put("dtype", "bfloat16"));
        assertEquals(55.5f, plan.embedding().scale());
        assertEquals((float) Math.sqrt(3072), plan(c -> c.put("hidden_size", 3072)).embedding().scale());
    }

    @Test
    void activationIsHiddenActAsTransformers5ReadsIt() throws IOException {
        DecoderPlan plan = plan(c -> c.put("hidden_act", "gelu").put("hidden_activation", "gelu_pytorch_tanh"));
        assertEquals(Activation.GELU, plan.layers().get(0).mlp().activation());
        assertEquals(Activation.GELU_TANH, plan(c -> c.remove("hidden_act")).layers().get(0).mlp().activation());
    }

    @Test
    void attentionBiasAndTiedHeadComeFromTheConfig() throws IOException {
        DecoderPlan plan = plan(c -> c.put("attention_bias", true).put("tie_word_embeddings", true));
        assertTrue(plan.layers().get(1).attention().qkvBias());
        assertTrue(plan.layers().get(1).attention().outputBias());
        assertTrue(plan.tiedHead());
    }

    @Test
    void bidirectionalAttentionIsRefusedInOneLine() {
        ConfigFormatException e = assertThrows(ConfigFormatException.class,
                () -> plan(c -> c.put("use_bidirectional_attention", true)));
        assertTrue(e.getMessage().contains("key 'use_bidirectional_attention' expected false or null"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
