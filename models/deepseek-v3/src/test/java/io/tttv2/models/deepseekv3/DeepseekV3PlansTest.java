package io.tttv2.models.deepseekv3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.tensor.DType;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.LayerPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DeepSeek-V3's plan from the fixture's config.json and edited copies of it. */
class DeepseekV3PlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/deepseek_v3/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DecoderModel model(Consumer<ObjectNode> edit) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        JSON.writeValue(file.toFile(), config);
        return DeepseekV3Plans.of(HfConfig.read(file));
    }

    @Test
    void latentAttentionEverywhereDenseThenExperts() throws IOException {
        DecoderModel model = model(c -> { });
        LayerPlan dense = model.plan().layers().get(0);
        LayerPlan sparse = model.plan().layers().get(1);
        LatentAttentionSpec a = dense.latentAttention();
        assertNull(dense.attention());
        assertEquals(new LatentAttentionSpec(64, 4, 24, 16, 8, 8, 16, false, a.qANorm(), a.kvANorm(),
                (float) Math.pow(16, -0.5)), a);
        assertEquals(24, a.qANorm().dim());
        assertEquals(1e-6f, a.kvANorm().eps());
        assertEquals(RotaryStyle.INTERLEAVED, dense.rotary().style());
        assertEquals(8, dense.rotary().rotaryDim());
        assertEquals(128, dense.mlp().intermediate());
        assertNull(dense.moe());
        MoeSpec moe = sparse.moe();
        assertNull(sparse.mlp());
        assertEquals(new RouterSpec(64, 4, 2, RouterSpec.Scoring.SIGMOID, true, 1, 1, true, 1f), moe.router());
        assertEquals(32, moe.expert().intermediate());
        assertEquals(32, moe.shared().intermediate());
        // the cache holds the latent and the rotary key per token and layer, no per-head values
        assertEquals(new KvCacheSpec(2, 1, 24, 0, KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32), model.plan().kvCache());
        assertEquals("model.layers.1.mlp.shared_experts.up_proj.weight",
                model.mapping().source("model.layers.1.mlp.shared_expert.up_proj.weight").checkpointName());
    }

    @Test
    void anyDimsPlainQueryProjectionHalfRopeAndSharedExperts() throws IOException {
        DecoderModel model = model(c -> c.putNull("q_lora_rank").put("kv_lora_rank", 40).put("qk_nope_head_dim", 12)
                .put("qk_rope_head_dim", 6).put("v_head_dim", 20).put("rope_interleave", false)
                .put("n_shared_experts", 2).put("first_k_dense_replace", 0).remove("qk_head_dim"));
        LayerPlan layer = model.plan().layers().get(0);
        LatentAttentionSpec a = layer.latentAttention();
        assertEquals(0, a.qLoraRank());
        assertNull(a.qANorm());
        assertEquals(List.of(40, 12, 6, 20), List.of(a.kvLoraRank(), a.qkNopeHeadDim(), a.qkRopeHeadDim(), a.vHeadDim()));
        assertEquals((float) Math.pow(18, -0.5), a.scaling());
        assertEquals(RotaryStyle.HALF, layer.rotary().style());
        assertNotNull(layer.moe());
        assertEquals(64, layer.moe().shared().intermediate());
        assertEquals(46, model.plan().kvCache().keyDim());
    }

    @Test
    void yarnWithMscaleAllDimSquaresItIntoTheScale() throws IOException {
        DecoderModel model = model(c -> c.set("rope_parameters", JSON.createObjectNode().put("rope_type", "yarn")
                .put("rope_theta", 10000.0).put("factor", 40.0).put("mscale", 1.0).put("mscale_all_dim", 1.0)
                .put("original_max_position_embeddings", 32).put("beta_fast", 32).put("beta_slow", 1)));
        double mscale = 0.1 * Math.log(40) + 1;
        assertEquals((float) (Math.pow(16, -0.5) * mscale * mscale), model.plan().layers().get(0).latentAttention().scaling());
        assertEquals("yarn", model.plan().layers().get(0).rotary().scaling().type());
    }

    @Test
    void multiTokenPredictionLayersAreIgnored() throws IOException {
        DecoderModel model = model(c -> c.put("num_nextn_predict_layers", 1));
        assertTrue(model.mapping().ignores("model.layers.2.self_attn.kv_a_proj_with_mqa.weight"));
        assertTrue(model.mapping().ignores("model.layers.2.eh_proj.weight"));
        assertFalse(model.mapping().ignores("model.layers.1.self_attn.kv_a_proj_with_mqa.weight"));
        assertFalse(model(c -> c.put("num_nextn_predict_layers", 0)).mapping().ignores("model.layers.2.eh_proj.weight"));
    }

    @Test
    void inconsistentLatentNumbersAreOneLine() {
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> model(c -> c.put("qk_head_dim", 12)));
        assertEquals(dir.resolve("config.json") + ": key 'qk_head_dim' expected qk_nope_head_dim 8 + qk_rope_head_dim 8"
                + " = 16, found 12", e.getMessage());
        e = assertThrows(ConfigFormatException.class, () -> model(c -> c.put("qk_rope_head_dim", 7).remove("qk_head_dim")));
        assertEquals(dir.resolve("config.json") + ": key 'qk_rope_head_dim' expected an even number (rotary pairs),"
                + " found 7", e.getMessage());
        e = assertThrows(ConfigFormatException.class, () -> model(c -> c.put("kv_lora_rank", 0)));
        assertTrue(e.getMessage().startsWith(dir.resolve("config.json") + ": key 'kv_lora_rank' expected a positive"
                + " integer"), e.getMessage());
    }
}
