package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.weights.CheckpointWeights;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kit's names resolved through renames, interleaved and consecutive splits and transposes, element by element. */
class MappedWeightsTest {

    @TempDir
    Path dir;

    /** The value {@link TinyPlans#write} gives element {@code e} of {@code name}. */
    private static float written(Map<String, long[]> tensors, String name, int e) {
        return new TreeSet<>(tensors.keySet()).headSet(name).size() * 1000 + e;
    }

    @Test
    void renamedTensorsAreTheCheckpointsOwn() throws Exception {
        Map<String, long[]> tensors = TinyPlans.neoxTensors();
        TinyPlans.write(dir, tensors);
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Weights w = new MappedWeights(new CheckpointWeights(checkpoint), TinyPlans.neoxMapping(),
                    ExpectedWeights.of(TinyPlans.neoxLike()));
            Tensor dense = w.scoped("model.layers.0").scoped("self_attn").get("o_proj.weight");
            assertArrayEquals(new int[] {8, 8}, dense.shape());
            assertEquals(written(tensors, "gpt_neox.layers.0.attention.dense.weight", 9), dense.getFloat(1, 1));
            assertEquals(written(tensors, "gpt_neox.final_layer_norm.bias", 3), w.get("model.norm.bias").getFloat(3));
        }
    }

    @Test
    void interleavedPartsTakeTheirRowsOfEveryHead() throws Exception {
        Map<String, long[]> tensors = TinyPlans.neoxTensors();
        TinyPlans.write(dir, tensors);
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Weights w = new MappedWeights(new CheckpointWeights(checkpoint), TinyPlans.neoxMapping(),
                    ExpectedWeights.of(TinyPlans.neoxLike())).scoped("model.layers.0.self_attn");
            String fused = "gpt_neox.layers.0.attention.query_key_value.";
            // per head h: rows 12h..12h+3 are q, 12h+4..+7 k, 12h+8..+11 v; each row holds 8 elements
            for (String part : new String[] {"q_proj", "k_proj", "v_proj"}) {
                int p = part.equals("q_proj") ? 0 : part.equals("k_proj") ? 1 : 2;
                Tensor weight = w.get(part + ".weight");
                Tensor bias = w.get(part + ".bias");
                assertArrayEquals(new int[] {8, 8}, weight.shape());
                for (int head = 0; head < 2; head++) {
                    for (int r = 0; r < 4; r++) {
                        int row = head * 12 + p * 4 + r;
                        assertEquals(written(tensors, fused + "weight", row * 8 + 5), weight.getFloat(head * 4 + r, 5));
                        assertEquals(written(tensors, fused + "bias", row), bias.getFloat(head * 4 + r));
                    }
                }
            }
        }
    }

    @Test
    void transposedFusedTensorsSplitIntoViewsOfOneCopy() throws Exception {
        // GPT-2: c_attn.weight stored [in 8, out 24], bias [24]; q, k, v one after the other
        Map<String, long[]> tensors = new java.util.LinkedHashMap<>(Map.of(
                "h.0.attn.c_attn.weight", new long[] {8, 24}, "h.0.attn.c_attn.bias", new long[] {24}));
        TinyPlans.write(dir, tensors);
        WeightMapping mapping = WeightMapping.builder()
                .rename("model.layers.*", "h.*")
                .split("h.*.attn.c_attn", "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.k_proj",
                        "model.layers.*.self_attn.v_proj")
                .transpose("h.*.attn.c_attn")
                .build();
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            Weights w = new MappedWeights(new CheckpointWeights(checkpoint), mapping,
                    ExpectedWeights.of(TinyPlans.neoxLike())).scoped("model.layers.0.self_attn");
            Tensor k = w.get("k_proj.weight");
            assertArrayEquals(new int[] {8, 8}, k.shape());
            // k row o, column i is the stored element (i, 8 + o)
            assertEquals(written(tensors, "h.0.attn.c_attn.weight", 3 * 24 + 8 + 2), k.getFloat(2, 3));
            assertEquals(written(tensors, "h.0.attn.c_attn.bias", 16 + 5), w.get("v_proj.bias").getFloat(5));
            assertSame(k.base(), w.get("q_proj.weight").base(), "parts of one transposed copy");
        }
    }

    @Test
    void checkpointModulePathsFollowTheMostSpecificRename() {
        WeightMapping mapping = TinyPlans.neoxMapping();
        assertEquals("gpt_neox.layers.3.attention.dense", mapping.checkpointPath("model.layers.3.self_attn.o_proj"));
        assertEquals("gpt_neox.layers.3.self_attn", mapping.checkpointPath("model.layers.3.self_attn"));
        assertEquals("embed_out", mapping.checkpointPath("lm_head"));
        assertEquals("model.rotary_emb", mapping.checkpointPath("model.rotary_emb"));
    }
}
