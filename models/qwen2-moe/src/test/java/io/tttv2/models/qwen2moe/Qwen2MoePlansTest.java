package io.tttv2.models.qwen2moe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.LayerPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Qwen2-MoE's plan from the fixture's config.json and edited copies of it. */
class Qwen2MoePlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/qwen2_moe/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DecoderPlan plan(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        JSON.writeValue(file.toFile(), config);
        return Qwen2MoePlans.of(HfConfig.read(file)).plan();
    }

    @Test
    void fixtureHasAGatedSharedExpertInEveryLayer() throws IOException {
        DecoderPlan plan = plan(c -> { });
        for (LayerPlan layer : plan.layers()) {
            MoeSpec moe = layer.moe();
            assertNotNull(moe);
            assertEquals(4, moe.experts());
            assertEquals(2, moe.router().topK());
            assertTrue(!moe.router().normalize());
            assertEquals(32, moe.expert().intermediate());
            assertEquals(64, moe.shared().intermediate());
            assertTrue(moe.sharedGate());
            assertTrue(layer.attention().qkvBias());
            assertTrue(!layer.attention().outputBias());
        }
    }

    @Test
    void mlpOnlyLayersAndTheSparseStepMakeDenseLayersOfIntermediateSize() throws IOException {
        DecoderPlan plan = plan(c -> {
            c.put("num_hidden_layers", 6).put("decoder_sparse_step", 2).put("norm_topk_prob", true);
            c.putArray("mlp_only_layers").add(3);
            c.remove("layer_types");
        });
        boolean[] sparse = {false, true, false, false, false, true};
        for (int l = 0; l < 6; l++) {
            LayerPlan layer = plan.layers().get(l);
            assertEquals(sparse[l], layer.moe() != null, "layer " + l);
            if (!sparse[l]) {
                assertNull(layer.moe());
                assertEquals(128, layer.mlp().intermediate(), "layer " + l);
            } else {
                assertTrue(layer.moe().router().normalize());
            }
        }
    }

    @Test
    void inconsistentExpertNumbersAreOneLine() {
        ConfigFormatException top = assertThrows(ConfigFormatException.class,
                () -> plan(c -> c.put("num_experts_per_tok", 9)));
        assertEquals(dir.resolve("config.json") + ": key 'num_experts_per_tok' expected at most the 4 experts of"
                + " 'num_experts', found 9", top.getMessage());
        ConfigFormatException step = assertThrows(ConfigFormatException.class,
                () -> plan(c -> c.put("decoder_sparse_step", 0)));
        assertEquals(dir.resolve("config.json") + ": key 'decoder_sparse_step' expected a positive integer, found 0",
                step.getMessage());
    }
}
