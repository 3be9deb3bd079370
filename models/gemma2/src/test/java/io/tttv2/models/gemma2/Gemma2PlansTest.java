package io.tttv2.models.gemma2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** Gemma 2's differences from Llama, from the fixture's config.json and edited copies of it. */
class Gemma2PlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/gemma2/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DecoderPlan plan(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        JSON.writeValue(file.toFile(), config);
        return Gemma2Plans.of(HfConfig.read(file)).plan();
    }

    private static AttentionSpec attention(DecoderPlan plan, int layer) {
        return plan.layers().get(layer).attention();
    }

    @Test
    void fixtureAlternatesWindowsSoftcapsAndNormsBothSides() throws IOException {
        DecoderPlan plan = plan(c -> { });
        assertEquals("Gemma2ForCausalLM", plan.architecture());
        assertEquals(5, attention(plan, 0).slidingWindow());
        assertEquals(0, attention(plan, 1).slidingWindow());
        assertEquals(30f, plan.lmHead().softcap());
        assertEquals(8f, plan.embedding().scale());
        assertEquals(1f, plan.finalNorm().weightOffset());
        for (LayerPlan layer : plan.layers()) {
            assertEquals(ResidualPattern.PRE_AND_POST_NORM, layer.pattern());
            for (NormSpec norm : new NormSpec[] {layer.inputNorm(), layer.postAttentionNorm(),
                    layer.preFeedforwardNorm(), layer.postFeedforwardNorm()}) {
                assertEquals(1f, norm.weightOffset());
            }
            assertEquals(50f, layer.attention().softcap());
            assertEquals(0.25f, layer.attention().scaling()); // query_pre_attn_scalar 16
            assertEquals(Activation.GELU_TANH, layer.mlp().activation());
            assertTrue(layer.mlp().gated());
        }
        // one RoPE for every layer
        assertEquals(plan.layers().get(0).rotary(), plan.layers().get(1).rotary());
    }

    @Test
    void withoutLayerTypesEvenLayersSlide() throws IOException {
        DecoderPlan plan = plan(c -> {
            c.remove("layer_types");
            c.put("num_hidden_layers", 4);
        });
        assertEquals(5, attention(plan, 0).slidingWindow());
        assertEquals(0, attention(plan, 1).slidingWindow());
        assertEquals(5, attention(plan, 2).slidingWindow());
        assertEquals(0, attention(plan, 3).slidingWindow());
    }

    @Test
    void absentKeysTakeGemma2ConfigDefaultsAndNullTurnsThemOff() throws IOException {
        DecoderPlan defaults = plan(c -> c.remove(java.util.List.of("attn_logit_softcapping",
                "final_logit_softcapping", "query_pre_attn_scalar", "sliding_window")));
        assertEquals(50f, attention(defaults, 0).softcap());
        assertEquals(30f, defaults.lmHead().softcap());
        assertEquals(1f / 16, attention(defaults, 0).scaling());
        assertEquals(4096, attention(defaults, 0).slidingWindow());
        DecoderPlan off = plan(c -> c.putNull("attn_logit_softcapping").putNull("final_logit_softcapping"));
        assertEquals(0f, attention(off, 0).softcap());
        assertEquals(0f, off.lmHead().softcap());
    }

    @Test
    void activationIsHiddenActivationNotHiddenAct() throws IOException {
        DecoderPlan plan = plan(c -> c.put("hidden_act", "silu"));
        assertEquals(Activation.GELU_TANH, plan.layers().get(0).mlp().activation());
        assertEquals(Activation.GELU, plan(c -> c.put("hidden_activation", "gelu")).layers().get(0).mlp().activation());
    }

    @Test
    void badValuesAreOneLineNamingTheKey() {
        for (Consumer<ObjectNode> edit : java.util.List.<Consumer<ObjectNode>>of(
                c -> c.putNull("query_pre_attn_scalar"),
                c -> c.put("attn_logit_softcapping", -1.0),
                c -> c.put("use_bidirectional_attention", true))) {
            ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> plan(edit));
            assertTrue(e.getMessage().matches(".*config\\.json: key '\\w+' expected .*"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
