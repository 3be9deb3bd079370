package io.tttv2.models.mixtral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.LayerPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mixtral's plan from the fixture's config.json and edited copies of it. */
class MixtralPlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/mixtral/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DecoderModel model(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        JSON.writeValue(file.toFile(), config);
        return MixtralPlans.of(HfConfig.read(file));
    }

    @Test
    void everyLayerIsAMixtureOfRenormalisedSoftmaxTopK() throws IOException {
        DecoderModel model = model(c -> { });
        assertEquals(2, model.plan().layers().size());
        for (LayerPlan layer : model.plan().layers()) {
            assertNull(layer.mlp());
            MoeSpec moe = layer.moe();
            assertEquals(RouterSpec.softmax(64, 4, 2, true), moe.router());
            assertEquals(128, moe.expert().intermediate());
            assertNull(moe.shared());
            assertEquals(0, layer.attention().slidingWindow());
        }
        var source = model.mapping().source("model.layers.1.mlp.experts.3.gate_proj.weight");
        assertEquals("model.layers.1.block_sparse_moe.experts.3.w1.weight", source.checkpointName());
        assertEquals("model.layers.0.block_sparse_moe.gate.weight",
                model.mapping().source("model.layers.0.mlp.gate.weight").checkpointName());
        assertEquals("model.layers.0.block_sparse_moe.experts.0.w2.weight",
                model.mapping().source("model.layers.0.mlp.experts.0.down_proj.weight").checkpointName());
    }

    @Test
    void anyExpertCountAndTopKAndTheWindow() throws IOException {
        DecoderModel model = model(c -> c.put("num_local_experts", 64).put("num_experts_per_tok", 8)
                .put("sliding_window", 16));
        LayerPlan layer = model.plan().layers().get(1);
        assertEquals(64, layer.moe().experts());
        assertEquals(8, layer.moe().router().topK());
        assertEquals(16, layer.attention().slidingWindow());
    }

    @Test
    void moreExpertsPerTokenThanExpertsIsOneLine() {
        ConfigFormatException e = assertThrows(ConfigFormatException.class,
                () -> model(c -> c.put("num_experts_per_tok", 5)));
        assertEquals(dir.resolve("config.json") + ": key 'num_experts_per_tok' expected at most the 4 experts of"
                + " 'num_local_experts', found 5", e.getMessage());
    }
}
