package io.tttv2.models.gemma3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.RopeScaling;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.LayerPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gemma 3's differences from Llama, from the fixture's config.json and edited copies of it. */
class Gemma3PlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/gemma3/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DecoderPlan plan(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        JSON.writeValue(file.toFile(), config);
        return Gemma3Plans.of(HfConfig.read(file)).plan();
    }

    private static RopeScaling rope(DecoderPlan plan, int layer) {
        return plan.layers().get(layer).rotary().scaling();
    }

    /** A config as transformers 4.5x saved it: no layer_types, no rope_parameters. */
    private static void legacy(ObjectNode c, int layers) {
        c.remove(List.of("layer_types", "rope_parameters", "_sliding_window_pattern"));
        c.put("num_hidden_layers", layers);
    }

    @Test
    void fixtureSlidesInBothLayersWithTheLocalBaseAndNormsQkPerHead() throws IOException {
        DecoderPlan plan = plan(c -> { });
        assertEquals("Gemma3ForCausalLM", plan.architecture());
        assertEquals(8f, plan.embedding().scale());
        assertEquals(0f, plan.lmHead().softcap());
        for (LayerPlan layer : plan.layers()) {
            AttentionSpec a = layer.attention();
            assertEquals(ResidualPattern.PRE_AND_POST_NORM, layer.pattern());
            assertEquals(5, a.slidingWindow());
            assertEquals(0f, a.softcap());
            assertEquals(0.25f, a.scaling());
            assertEquals(AttentionSpec.QkNorm.PER_HEAD, a.qkNorm());
            assertEquals(16, a.qkNormSpec().dim());
            assertEquals(1f, a.qkNormSpec().weightOffset());
            assertEquals(1f, layer.postFeedforwardNorm().weightOffset());
            assertEquals(10_000.0, layer.rotary().scaling().theta());
        }
    }

    @Test
    void fullLayersRotateWithTheGlobalBase() throws IOException {
        DecoderPlan plan = plan(c -> c.putArray("layer_types").add("sliding_attention").add("full_attention"));
        assertEquals(5, plan.layers().get(0).attention().slidingWindow());
        assertEquals(0, plan.layers().get(1).attention().slidingWindow());
        assertEquals(10_000.0, rope(plan, 0).theta());
        assertEquals(1_000_000.0, rope(plan, 1).theta());
    }

    @Test
    void legacyPatternLocalBaseAndScalingOfFullLayersOnly() throws IOException {
        DecoderPlan plan = plan(c -> {
            legacy(c, 6);
            c.put("sliding_window_pattern", 3).put("rope_local_base_freq", 20_000.0);
            c.putObject("rope_scaling").put("rope_type", "linear").put("factor", 8.0);
        });
        for (int l = 0; l < 6; l++) {
            boolean full = (l + 1) % 3 == 0;
            assertEquals(full ? 0 : 5, plan.layers().get(l).attention().slidingWindow(), "layer " + l);
            assertEquals(full ? "linear" : "default", rope(plan, l).type(), "layer " + l);
            assertEquals(full ? 1_000_000.0 : 20_000.0, rope(plan, l).theta(), "layer " + l);
        }
        assertEquals(8.0, rope(plan, 2).factor());
    }

    @Test
    void legacyDefaultsArePatternSixAndBasesOneMillionAndTenThousand() throws IOException {
        DecoderPlan plan = plan(c -> legacy(c, 12));
        for (int l = 0; l < 12; l++) {
            boolean full = l == 5 || l == 11;
            assertEquals(full ? 0 : 5, plan.layers().get(l).attention().slidingWindow(), "layer " + l);
            assertEquals(full ? 1_000_000.0 : 10_000.0, rope(plan, l).theta(), "layer " + l);
        }
        DecoderPlan saved = plan(c -> {
            legacy(c, 4);
            c.put("_sliding_window_pattern", 2).put("rope_theta", 500_000.0);
        });
        assertEquals(0, saved.layers().get(1).attention().slidingWindow());
        assertEquals(500_000.0, rope(saved, 3).theta());
        assertEquals(5, saved.layers().get(2).attention().slidingWindow());
    }

    @Test
    void softcapsFollowGemma3NotGemma2() throws IOException {
        DecoderPlan plan = plan(c -> c.put("attn_logit_softcapping", 50.0).put("final_logit_softcapping", 30.0));
        assertEquals(0f, plan.layers().get(0).attention().softcap()); // HF's Gemma 3 attention does not apply it
        assertEquals(30f, plan.lmHead().softcap());
    }

    @Test
    void badValuesAreOneLineNamingTheKey() {
        for (Consumer<ObjectNode> edit : List.<Consumer<ObjectNode>>of(
                c -> {
                    legacy(c, 2);
                    c.put("sliding_window_pattern", 0);
                },
                c -> c.put("query_pre_attn_scalar", 0),
                c -> c.put("use_bidirectional_attention", true))) {
            ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> plan(edit));
            assertTrue(e.getMessage().matches(".*config\\.json: key '\\w+' expected .*"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
