package io.tttv2.models.olmo2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.LayerPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OLMo 2's differences from Llama, read from the fixture's config.json and from edited copies of it. */
class Olmo2PlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/olmo2/config.json");

    @TempDir
    Path dir;

    private DecoderModel model(Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        Files.writeString(file, json.writeValueAsString(config));
        return Olmo2Plans.of(HfConfig.read(file));
    }

    @Test
    void normsOnlyTheAttentionAndMlpOutputs() {
        DecoderModel model = Olmo2Plans.of(HfConfig.read(FIXTURE));
        assertEquals(2, model.plan().layers().size());
        for (LayerPlan layer : model.plan().layers()) {
            assertEquals(ResidualPattern.POST_NORM, layer.pattern());
            assertNull(layer.inputNorm());
            assertNull(layer.preFeedforwardNorm());
            assertEquals(NormSpec.rms(64, 1e-6f), layer.postAttentionNorm());
            assertEquals(NormSpec.rms(64, 1e-6f), layer.postFeedforwardNorm());
            assertTrue(layer.mlp().gated());
            assertFalse(layer.mlp().bias());
        }
        assertEquals(NormSpec.rms(64, 1e-6f), model.plan().finalNorm());
        assertFalse(model.plan().tiedHead());
        assertEquals("Olmo2ForCausalLM", model.plan().architecture());
        assertEquals("model.layers.1.self_attn.q_norm.weight",
                model.mapping().source("model.layers.1.self_attn.q_norm.weight").checkpointName());
    }

    @Test
    void normsQAndKOverTheWholeProjection() {
        AttentionSpec a = Olmo2Plans.of(HfConfig.read(FIXTURE)).plan().layers().get(0).attention();
        assertEquals(AttentionSpec.QkNorm.FULL, a.qkNorm());
        assertEquals(NormSpec.rms(4 * 16, 1e-6f), a.qkNormSpec());
        assertEquals(2, a.kvHeads());
        assertFalse(a.qkvBias() || a.outputBias());
        assertEquals(0, a.slidingWindow());
        assertEquals(0.25f, a.scaling());
    }

    @Test
    void rotatesTheWholeHeadEvenWithAPartialFactor() throws IOException {
        RotarySpec plain = Olmo2Plans.of(HfConfig.read(FIXTURE)).plan().layers().get(0).rotary();
        assertEquals(16, plain.rotaryDim());
        assertEquals("default", plain.scaling().type());
        assertEquals(10000.0, plain.scaling().theta());
        RotarySpec partial = model(c -> ((ObjectNode) c.get("rope_parameters")).put("partial_rotary_factor", 0.5))
                .plan().layers().get(0).rotary();
        assertEquals(16, partial.rotaryDim());
    }

    @Test
    void defaultsAreOlmo2ConfigsNotLlamas() throws IOException {
        DecoderModel model = model(c -> c.remove(List.of("rms_norm_eps", "tie_word_embeddings")));
        LayerPlan layer = model.plan().layers().get(0);
        assertEquals(1e-5f, layer.postAttentionNorm().eps());
        assertEquals(1e-5f, layer.attention().qkNormSpec().eps());
        assertFalse(model.plan().tiedHead());
    }

    @Test
    void attentionBiasBiasesEveryProjection() throws IOException {
        AttentionSpec a = model(c -> c.put("attention_bias", true)).plan().layers().get(0).attention();
        assertTrue(a.qkvBias());
        assertTrue(a.outputBias());
    }
}
