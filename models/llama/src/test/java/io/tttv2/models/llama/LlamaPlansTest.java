package io.tttv2.models.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.LayerPlan;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each architecture's differences from Llama, read from the fixtures' config.json files. */
class LlamaPlansTest {

    private static DecoderPlan plan(String fixture) {
        return LlamaPlans.of(HfConfig.read(Path.of("../../testdata/fixtures", fixture, "config.json"))).plan();
    }

    private static AttentionSpec attention(DecoderPlan plan, int layer) {
        return plan.layers().get(layer).attention();
    }

    @Test
    void llamaHasNoBiasesNoWindowNoQkNorm() {
        DecoderPlan plan = plan("llama");
        AttentionSpec a = attention(plan, 0);
        assertFalse(a.qkvBias() || a.outputBias());
        assertEquals(AttentionSpec.QkNorm.NONE, a.qkNorm());
        assertEquals(0, a.slidingWindow());
        assertEquals("LlamaForCausalLM", plan.architecture());
    }

    @Test
    void mistralSlidesInEveryLayer() {
        DecoderPlan plan = plan("mistral");
        for (LayerPlan layer : plan.layers()) {
            assertEquals(5, layer.attention().slidingWindow());
        }
    }

    @Test
    void qwen2BiasesQkvButNotTheOutput() {
        AttentionSpec a = attention(plan("qwen2"), 0);
        assertTrue(a.qkvBias());
        assertFalse(a.outputBias());
    }

    @Test
    void qwen3NormsEachHeadOfQAndK() {
        AttentionSpec a = attention(plan("qwen3"), 1);
        assertEquals(AttentionSpec.QkNorm.PER_HEAD, a.qkNorm());
        assertEquals(a.headDim(), a.qkNormSpec().dim());
    }

    @Test
    void tiedEmbeddingsAndLlama3RopeComeFromTheConfig() {
        assertTrue(plan("llama-sharded").tiedHead());
        assertEquals("llama3", plan("llama3-rope-legacy").layers().get(0).rotary().scaling().type());
        assertNull(plan("llama").positions());
    }
}
