package io.tttv2.models.gpt2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan and mapping from the gpt2 fixture's config.json, and from variations of it. */
class Gpt2PlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/gpt2/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The plan of the fixture's config.json with {@code edit} applied. */
    private DecoderPlan plan(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        return Gpt2Plans.of(HfConfig.read(file)).plan();
    }

    @Test
    void theFixtureHasLearnedPositionsAndNoRotary() {
        DecoderPlan plan = Gpt2Plans.of(HfConfig.read(FIXTURE)).plan();
        assertEquals("GPT2LMHeadModel", plan.architecture());
        assertEquals(new PositionEmbeddingSpec(128, 64), plan.positions());
        assertEquals(128, plan.maxPositions());
        assertTrue(plan.tiedHead());
        assertEquals(2, plan.layers().size());
        NormSpec layerNorm = new NormSpec(64, NormSpec.NormKind.LAYER, 1e-5f, 0f, true);
        assertEquals(layerNorm, plan.finalNorm());
        for (LayerPlan layer : plan.layers()) {
            assertEquals(ResidualPattern.PRE_NORM, layer.pattern());
            assertNull(layer.rotary());
            assertEquals(layerNorm, layer.inputNorm());
            assertEquals(layerNorm, layer.postAttentionNorm());
            AttentionSpec a = layer.attention();
            assertEquals(List.of(4, 4, 16), List.of(a.heads(), a.kvHeads(), a.headDim()));
            assertTrue(a.qkvBias() && a.outputBias());
            assertEquals(0.25f, a.scaling());
            // n_inner null: 4 × n_embd
            assertEquals(new MlpSpec(64, 256, Activation.GELU_TANH, false, true), layer.mlp());
        }
    }

    @Test
    void scalingByInverseLayerIndex() throws IOException {
        DecoderPlan plan = plan(c -> c.put("scale_attn_by_inverse_layer_idx", true));
        assertEquals(0.25f, plan.layers().get(0).attention().scaling());
        assertEquals(0.125f, plan.layers().get(1).attention().scaling());
    }

    @Test
    void unscaledAttentionWeights() throws IOException {
        DecoderPlan plan = plan(c -> {
            c.put("scale_attn_weights", false);
            c.put("scale_attn_by_inverse_layer_idx", true);
        });
        assertEquals(1f, plan.layers().get(0).attention().scaling());
        assertEquals(0.5f, plan.layers().get(1).attention().scaling());
    }

    @Test
    void innerWidthAndEpsilonAndActivationFromTheConfig() throws IOException {
        DecoderPlan plan = plan(c -> {
            c.put("n_inner", 96);
            c.put("layer_norm_epsilon", 1e-6);
            c.put("activation_function", "relu");
            c.put("tie_word_embeddings", false);
        });
        assertEquals(new MlpSpec(64, 96, Activation.RELU, false, true), plan.layers().get(0).mlp());
        assertEquals(1e-6f, plan.finalNorm().eps());
        assertFalse(plan.tiedHead());
    }

    @Test
    void conv1dWeightsAreReadTransposedAndCAttnSplitInThree() {
        WeightMapping m = Gpt2Plans.MAPPING;
        WeightMapping.Source v = m.source("model.layers.1.self_attn.v_proj.weight");
        assertEquals("transformer.h.1.attn.c_attn.weight", v.checkpointName());
        assertTrue(v.transposed());
        assertEquals(2, v.part());
        assertEquals(1, v.split().groups());
        WeightMapping.Source qBias = m.source("model.layers.1.self_attn.q_proj.bias");
        assertEquals("transformer.h.1.attn.c_attn.bias", qBias.checkpointName());
        assertFalse(qBias.transposed());
        for (String[] kitAndHf : new String[][] {
                {"model.layers.0.self_attn.o_proj", "transformer.h.0.attn.c_proj"},
                {"model.layers.0.mlp.up_proj", "transformer.h.0.mlp.c_fc"},
                {"model.layers.0.mlp.down_proj", "transformer.h.0.mlp.c_proj"}}) {
            WeightMapping.Source w = m.source(kitAndHf[0] + ".weight");
            assertEquals(kitAndHf[1] + ".weight", w.checkpointName());
            assertTrue(w.transposed(), kitAndHf[1]);
            assertEquals(kitAndHf[1] + ".bias", m.source(kitAndHf[0] + ".bias").checkpointName());
        }
        assertEquals("transformer.h.0.ln_1.bias", m.source("model.layers.0.input_layernorm.bias").checkpointName());
        assertEquals("transformer.h.0.ln_2.weight", m.source("model.layers.0.post_attention_layernorm.weight").checkpointName());
        assertEquals("transformer.wte.weight", m.source("model.embed_tokens.weight").checkpointName());
        assertEquals("transformer.wpe.weight", m.source("model.embed_positions.weight").checkpointName());
        assertEquals("transformer.ln_f.weight", m.source("model.norm.weight").checkpointName());
        assertEquals("transformer.h.0.attn", m.checkpointPath("model.layers.0.self_attn"));
        assertTrue(m.ignores("transformer.h.11.attn.bias"));
        assertTrue(m.ignores("transformer.h.11.attn.masked_bias"));
    }

    @Test
    void hubCheckpointsWithoutTheTransformerPrefix() {
        WeightMapping m = Gpt2Plans.MAPPING.forCheckpoint(List.of("wte.weight", "wpe.weight", "h.0.attn.c_attn.weight",
                "h.0.attn.bias", "ln_f.weight"));
        WeightMapping.Source q = m.source("model.layers.0.self_attn.q_proj.weight");
        assertEquals("h.0.attn.c_attn.weight", q.checkpointName());
        assertTrue(q.transposed());
        assertEquals("wpe.weight", m.source("model.embed_positions.weight").checkpointName());
        assertEquals("h.0.mlp.c_proj.weight", m.source("model.layers.0.mlp.down_proj.weight").checkpointName());
        assertTrue(m.source("model.layers.0.mlp.down_proj.weight").transposed());
        assertTrue(m.ignores("h.0.attn.bias"));
        assertTrue(m.ignores("h.0.attn.masked_bias"));
        assertEquals("h.0", m.checkpointPath("model.layers.0"));
    }

    @Test
    void crossAttentionIsRefusedInOneLine() {
        String message = assertThrows(ModelLoadException.class, () -> plan(c -> c.put("add_cross_attention", true)))
                .getMessage();
        assertEquals("config.json: key 'add_cross_attention' expected false (a decoder-only GPT-2), found true", message);
    }

    @Test
    void headsThatDoNotDivideTheWidthAreOneLine() {
        String message = assertThrows(ModelLoadException.class, () -> plan(c -> {
            c.put("n_head", 3);
            c.put("head_dim", 16);          // a stray key HfConfig would take; GPT-2 divides n_embd by n_head
        })).getMessage();
        assertEquals("config.json: hidden size 64 is not divisible by the 3 attention heads", message);
    }
}
