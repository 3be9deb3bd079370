package io.tttv2.models.gptneox;

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
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
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

/** The plan and mapping from the gpt_neox fixture's config.json, and from variations of it. */
class GptNeoxPlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/gpt_neox/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The fixture's config.json with {@code edit} applied. */
    private DecoderModel model(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        return GptNeoxPlans.of(HfConfig.read(file));
    }

    @Test
    void theFixtureIsParallelWithAQuarterOfEachHeadRotating() {
        DecoderPlan plan = GptNeoxPlans.of(HfConfig.read(FIXTURE)).plan();
        assertEquals("GPTNeoXForCausalLM", plan.architecture());
        assertEquals(2, plan.layers().size());
        LayerPlan layer = plan.layers().get(1);
        assertEquals(ResidualPattern.PARALLEL, layer.pattern());
        assertEquals(new NormSpec(64, NormSpec.NormKind.LAYER, 1e-5f, 0f, true), layer.inputNorm());
        assertEquals(layer.inputNorm(), layer.postAttentionNorm());
        assertEquals(layer.inputNorm(), plan.finalNorm());
        AttentionSpec a = layer.attention();
        assertEquals(List.of(4, 4, 16), List.of(a.heads(), a.kvHeads(), a.headDim()));
        assertTrue(a.qkvBias() && a.outputBias());
        assertEquals(0.25f, a.scaling());
        RotarySpec r = layer.rotary();
        assertEquals(4, r.rotaryDim());
        assertEquals(16, r.headDim());
        assertEquals(RotaryStyle.HALF, r.style());
        assertEquals(10_000.0, r.scaling().theta());
        assertEquals("default", r.scaling().type());
        assertEquals(new MlpSpec(64, 128, Activation.GELU, false, true), layer.mlp());
        assertFalse(plan.tiedHead());
        assertNull(plan.positions());
        assertEquals(128, plan.maxPositions());
    }

    @Test
    void sequentialResidualWhenNotParallel() throws IOException {
        DecoderPlan plan = model(c -> c.put("use_parallel_residual", false)).plan();
        assertEquals(ResidualPattern.PRE_NORM, plan.layers().get(0).pattern());
    }

    @Test
    void legacyRotaryKeys() throws IOException {
        DecoderPlan plan = model(c -> {
            c.remove("rope_parameters");
            c.put("rotary_pct", 0.5);
            c.put("rotary_emb_base", 25_000);
        }).plan();
        RotarySpec r = plan.layers().get(0).rotary();
        assertEquals(8, r.rotaryDim());
        assertEquals(25_000.0, r.scaling().theta());
    }

    @Test
    void gptNeoxConfigDefaultsWhereKeysAreAbsent() throws IOException {
        DecoderPlan plan = model(c -> {
            c.remove(List.of("rope_parameters", "attention_bias", "use_parallel_residual", "tie_word_embeddings",
                    "hidden_act"));
        }).plan();
        LayerPlan layer = plan.layers().get(0);
        assertEquals(4, layer.rotary().rotaryDim());                 // partial rotary 0.25
        assertEquals(10_000.0, layer.rotary().scaling().theta());
        assertTrue(layer.attention().qkvBias() && layer.attention().outputBias());
        assertEquals(ResidualPattern.PARALLEL, layer.pattern());
        assertFalse(plan.tiedHead());
        assertEquals(Activation.GELU, layer.mlp().activation());
    }

    @Test
    void attentionWithoutBiasesAndATiedHead() throws IOException {
        DecoderPlan plan = model(c -> {
            c.put("attention_bias", false);
            c.put("tie_word_embeddings", true);
        }).plan();
        AttentionSpec a = plan.layers().get(0).attention();
        assertFalse(a.qkvBias() || a.outputBias());
        assertTrue(plan.layers().get(0).mlp().bias());              // the MLP's Linear layers keep theirs
        assertTrue(plan.tiedHead());
    }

    @Test
    void theFusedQkvSplitsHeadByHead() {
        WeightMapping m = GptNeoxPlans.mapping(4);
        WeightMapping.Source k = m.source("model.layers.1.self_attn.k_proj.bias");
        assertEquals("gpt_neox.layers.1.attention.query_key_value.bias", k.checkpointName());
        assertEquals(1, k.part());
        assertEquals(4, k.split().groups());
        assertFalse(k.transposed());
        assertEquals("gpt_neox.layers.0.attention.dense.weight", m.source("model.layers.0.self_attn.o_proj.weight").checkpointName());
        assertEquals("gpt_neox.layers.0.mlp.dense_h_to_4h.bias", m.source("model.layers.0.mlp.up_proj.bias").checkpointName());
        assertEquals("gpt_neox.layers.0.mlp.dense_4h_to_h.weight", m.source("model.layers.0.mlp.down_proj.weight").checkpointName());
        assertEquals("gpt_neox.layers.0.post_attention_layernorm.bias",
                m.source("model.layers.0.post_attention_layernorm.bias").checkpointName());
        assertEquals("gpt_neox.embed_in.weight", m.source("model.embed_tokens.weight").checkpointName());
        assertEquals("gpt_neox.final_layer_norm.weight", m.source("model.norm.weight").checkpointName());
        assertEquals("embed_out.weight", m.source("lm_head.weight").checkpointName());
        assertEquals("gpt_neox.layers.0.attention", m.checkpointPath("model.layers.0.self_attn"));
        assertTrue(m.ignores("gpt_neox.layers.3.attention.masked_bias"));
        assertTrue(m.ignores("gpt_neox.layers.3.attention.rotary_emb.inv_freq"));
        assertFalse(m.ignores("gpt_neox.layers.3.attention.dense.bias"));
    }

    @Test
    void anOddRotaryDimIsOneLine() throws IOException {
        String message = assertThrows(IllegalArgumentException.class,
                () -> model(c -> ((ObjectNode) c.get("rope_parameters")).put("partial_rotary_factor", 0.3125))).getMessage();
        assertTrue(message.contains("rotary") && message.contains("5") && !message.contains("\n"), message);
    }

    @Test
    void anUnknownActivationIsNamed() throws IOException {
        String message = assertThrows(IllegalArgumentException.class, () -> model(c -> c.put("hidden_act", "swoosh")))
                .getMessage();
        assertTrue(message.contains("'swoosh'") && !message.contains("\n"), message);
    }

    @Test
    void headsThatDoNotDivideTheWidthAreOneLine() {
        String message = assertThrows(ModelLoadException.class, () -> model(c -> {
            c.put("num_attention_heads", 3);
            c.put("head_dim", 16);          // a stray key HfConfig would take; GPT-NeoX divides hidden by heads
        })).getMessage();
        assertEquals("config.json: hidden size 64 is not divisible by the 3 attention heads", message);
    }
}
