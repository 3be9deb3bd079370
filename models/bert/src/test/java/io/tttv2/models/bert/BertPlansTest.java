package io.tttv2.models.bert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.EncoderLayerSpec.EncoderResidual;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.EncoderLayerPlan;
import io.tttv2.models.kit.EncoderModel;
import io.tttv2.models.kit.EncoderPlan;
import io.tttv2.models.kit.WeightMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan and mapping from the bert fixture's config.json, and from variations of it. */
class BertPlansTest {

    private static final Path FIXTURE = Path.of("../../testdata/fixtures/bert/config.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private EncoderModel model(Consumer<ObjectNode> edit, boolean pooler) throws IOException {
        ObjectNode config = (ObjectNode) JSON.readTree(FIXTURE.toFile());
        edit.accept(config);
        Path file = dir.resolve("config.json");
        Files.writeString(file, JSON.writeValueAsString(config));
        return BertPlans.of(HfConfig.read(file), pooler);
    }

    @Test
    void fixturePlanIsAPostNormEncoderWithBiasesTokenTypesPositionsAndPooler() throws IOException {
        EncoderPlan plan = model(c -> { }, true).plan();
        assertEquals("BertModel", plan.architecture());
        assertEquals(64, plan.hidden());
        assertEquals(256, plan.embedding().vocab());
        assertEquals(2, plan.tokenTypes().vocab());
        assertEquals(128, plan.positions().maxPositions());
        assertEquals(128, plan.maxPositions());
        assertEquals(2, plan.layers().size());
        assertNull(plan.finalNorm(), "BERT's layers end in their own LayerNorm");
        assertEquals(64, plan.pooler().hidden());
        NormSpec norm = plan.embeddingNorm();
        assertEquals(NormSpec.NormKind.LAYER, norm.kind());
        assertEquals(1e-12f, norm.eps());
        assertTrue(norm.bias());
        EncoderLayerPlan layer = plan.layers().get(0);
        assertEquals(EncoderResidual.NORM_AFTER_RESIDUAL, layer.pattern());
        assertFalse(layer.attention().causal());
        AttentionSpec a = layer.attention().attention();
        assertEquals(4, a.heads());
        assertEquals(4, a.kvHeads());
        assertEquals(16, a.headDim());
        assertTrue(a.qkvBias() && a.outputBias());
        assertEquals(0.25f, a.scaling());
        assertEquals(Activation.GELU, layer.mlp().activation());
        assertEquals(128, layer.mlp().intermediate());
        assertFalse(layer.mlp().gated());
        assertTrue(layer.mlp().bias());
    }

    @Test
    void withoutPoolerWeightsThePlanHasNoPooler() throws IOException {
        assertNull(model(c -> { }, false).plan().pooler());
    }

    @Test
    void bertConfigDefaultsApplyWhenKeysAreAbsent() throws IOException {
        EncoderPlan plan = model(c -> {
            c.remove("layer_norm_eps");
            c.remove("type_vocab_size");
            c.remove("max_position_embeddings");
            c.remove("hidden_act");
        }, true).plan();
        assertEquals(1e-12f, plan.embeddingNorm().eps());
        assertEquals(2, plan.tokenTypes().vocab());
        assertEquals(512, plan.maxPositions());
        assertEquals(Activation.GELU, plan.layers().get(0).mlp().activation());
    }

    @Test
    void mappingReadsBertNamesWithAndWithoutTheTaskPrefix() {
        WeightMapping mapping = BertPlans.mapping();
        WeightMapping base = mapping.forCheckpoint(List.of("embeddings.word_embeddings.weight"));
        assertEquals("encoder.layer.1.attention.self.query.weight",
                base.source("encoder.layers.1.self_attn.q_proj.weight").checkpointName());
        assertEquals("encoder.layer.0.attention.output.LayerNorm.bias",
                base.source("encoder.layers.0.attention_norm.bias").checkpointName());
        assertEquals("encoder.layer.0.intermediate.dense.weight",
                base.source("encoder.layers.0.mlp.up_proj.weight").checkpointName());
        assertEquals("encoder.layer.0.output.dense.weight",
                base.source("encoder.layers.0.mlp.down_proj.weight").checkpointName());
        assertEquals("encoder.layer.0.output.LayerNorm.weight",
                base.source("encoder.layers.0.mlp_norm.weight").checkpointName());
        assertEquals("embeddings.token_type_embeddings.weight",
                base.source("encoder.embed_token_types.weight").checkpointName());
        assertEquals("pooler.dense.weight", base.source("pooler.dense.weight").checkpointName());
        WeightMapping prefixed = mapping.forCheckpoint(List.of("bert.embeddings.word_embeddings.weight"));
        assertEquals("bert.encoder.layer.0.attention.self.value.bias",
                prefixed.source("encoder.layers.0.self_attn.v_proj.bias").checkpointName());
        assertTrue(prefixed.ignores("bert.embeddings.position_ids"));
    }

    @Test
    void unsupportedKeysAreRefusedInOneLine() {
        ModelLoadException relative = assertThrows(ModelLoadException.class,
                () -> model(c -> c.put("position_embedding_type", "relative_key"), true));
        assertEquals("config.json: key 'position_embedding_type' expected 'absolute', found 'relative_key' "
                + "(relative position embeddings are not supported)", relative.getMessage());
        ModelLoadException decoder = assertThrows(ModelLoadException.class, () -> model(c -> c.put("is_decoder", true), true));
        assertTrue(decoder.getMessage().startsWith("config.json: key 'is_decoder' is true"), decoder.getMessage());
    }
}
