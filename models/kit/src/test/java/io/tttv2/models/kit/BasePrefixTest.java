package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint saved from the base model (names without HF's base_model_prefix) read through the same rules. */
class BasePrefixTest {

    @TempDir
    Path dir;

    private static WeightMapping mapping() {
        return WeightMapping.builder()
                .basePrefix("gpt_neox")
                .rename("model.embed_tokens", "gpt_neox.embed_in")
                .rename("model.layers.*", "gpt_neox.layers.*")
                .rename("model.layers.*.self_attn.o_proj", "gpt_neox.layers.*.attention.dense")
                .rename("model.layers.*.mlp.up_proj", "gpt_neox.layers.*.mlp.dense_h_to_4h")
                .rename("model.layers.*.mlp.down_proj", "gpt_neox.layers.*.mlp.dense_4h_to_h")
                .splitInterleaved("gpt_neox.layers.*.attention.query_key_value", TinyPlans.HEADS,
                        "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.k_proj", "model.layers.*.self_attn.v_proj")
                .rename("model.norm", "gpt_neox.final_layer_norm")
                .rename("lm_head", "embed_out")
                .ignore("gpt_neox.layers.*.attention.masked_bias")
                .build();
    }

    /** {@link TinyPlans#neoxTensors()} with the prefix dropped, as a base-model save names them. */
    private static Map<String, long[]> withoutPrefix() {
        Map<String, long[]> out = new LinkedHashMap<>();
        TinyPlans.neoxTensors().forEach((name, shape) -> out.put(name.replaceFirst("^gpt_neox\\.", ""), shape));
        return out;
    }

    @Test
    void namesKeepThePrefixWhenTheCheckpointHasIt() {
        WeightMapping m = mapping();
        assertSame(m, m.forCheckpoint(TinyPlans.neoxTensors().keySet()));
        assertEquals("gpt_neox.layers.0.attention.query_key_value.weight",
                m.source("model.layers.0.self_attn.k_proj.weight").checkpointName());
        assertEquals("gpt_neox.layers.1.attention.dense", m.checkpointPath("model.layers.1.self_attn.o_proj"));
    }

    @Test
    void namesLoseThePrefixWhenNoTensorCarriesIt() {
        WeightMapping m = mapping().forCheckpoint(withoutPrefix().keySet());
        assertEquals("layers.0.attention.query_key_value.weight",
                m.source("model.layers.0.self_attn.k_proj.weight").checkpointName());
        assertEquals("layers.0.attention.dense.bias", m.source("model.layers.0.self_attn.o_proj.bias").checkpointName());
        assertEquals("embed_in", m.checkpointPath("model.embed_tokens"));
        assertEquals("embed_out.weight", m.source("lm_head.weight").checkpointName());   // outside the base model
        assertTrue(m.ignores("layers.3.attention.masked_bias"));
        assertFalse(mapping().ignores("layers.3.attention.masked_bias"));
    }

    @Test
    void aMappingWithoutABasePrefixIsUnchanged() {
        WeightMapping m = TinyPlans.neoxMapping();
        assertSame(m, m.forCheckpoint(List.of("layers.0.attention.dense.weight")));
        assertThrows(IllegalArgumentException.class, () -> WeightMapping.builder().basePrefix("transformer."));
    }

    @Test
    void aBaseModelCheckpointPassesTheCheckAndReadsTheSameValues() throws Exception {
        Map<String, long[]> tensors = withoutPrefix();
        tensors.put("layers.0.attention.masked_bias", new long[] {1});
        TinyPlans.write(dir, tensors);
        DecoderPlan plan = TinyPlans.neoxLike();
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            WeightMapping m = mapping().forCheckpoint(checkpoint.names());
            assertDoesNotThrow(() -> CheckpointCheck.check(plan, checkpoint, m, ExpectedWeights.of(plan)));
            Weights w = new MappedWeights(new CheckpointWeights(checkpoint), m, ExpectedWeights.of(plan));
            assertEquals(8, w.get("model.layers.0.self_attn.v_proj.weight").dim(0));
            // the unprefixed rules do not apply: the same checkpoint read without forCheckpoint is missing tensors
            assertThrows(ModelLoadException.class,
                    () -> CheckpointCheck.check(plan, checkpoint, mapping(), ExpectedWeights.of(plan)));
        }
    }
}
