package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint against a plan: each way it can be wrong is one line naming file, tensor, expected and found. */
class CheckpointCheckTest {

    @TempDir
    Path dir;

    private String failure(Map<String, long[]> tensors) throws Exception {
        TinyPlans.write(dir, tensors);
        DecoderPlan plan = TinyPlans.neoxLike();
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            return assertThrows(ModelLoadException.class, () -> CheckpointCheck.check(plan, checkpoint,
                    TinyPlans.neoxMapping(), ExpectedWeights.of(plan))).getMessage();
        }
    }

    @Test
    void aCorrectCheckpointPasses() throws Exception {
        Map<String, long[]> tensors = TinyPlans.neoxTensors();
        tensors.put("gpt_neox.layers.0.attention.masked_bias", new long[] {1});     // ignored by the mapping
        TinyPlans.write(dir, tensors);
        DecoderPlan plan = TinyPlans.neoxLike();
        try (Checkpoint checkpoint = Checkpoint.open(dir)) {
            assertDoesNotThrow(() -> CheckpointCheck.check(plan, checkpoint, TinyPlans.neoxMapping(), ExpectedWeights.of(plan)));
        }
    }

    @Test
    void aMissingTensorIsNamedUnderTheCheckpointsName() throws Exception {
        Map<String, long[]> tensors = TinyPlans.neoxTensors();
        tensors.remove("gpt_neox.layers.0.attention.dense.bias");
        assertEquals("model.safetensors: tensor 'gpt_neox.layers.0.attention.dense.bias' is missing from the checkpoint"
                + " (config.json's GPTNeoXForCausalLM needs it)", failure(tensors));
    }

    @Test
    void aWrongShapeNamesExpectedAndFound() throws Exception {
        Map<String, long[]> tensors = TinyPlans.neoxTensors();
        tensors.put("gpt_neox.layers.0.mlp.dense_h_to_4h.weight", new long[] {12, 8});
        assertEquals("model.safetensors: tensor 'gpt_neox.layers.0.mlp.dense_h_to_4h.weight' has shape [12, 8],"
                + " expected [16, 8] from config.json", failure(tensors));
    }

    @Test
    void aFusedTensorThatDoesNotSplitNamesItsParts() throws Exception {
        Map<String, long[]> tensors = TinyPlans.neoxTensors();
        tensors.put("gpt_neox.layers.0.attention.query_key_value.weight", new long[] {20, 8});
        assertEquals("model.safetensors: tensor 'gpt_neox.layers.0.attention.query_key_value.weight' has shape [20, 8],"
                + " expected [24, 8] from config.json (fused: q_proj 8 + k_proj 8 + v_proj 8 rows in 2 groups)",
                failure(tensors));
    }

    @Test
    void anUnusedTensorIsRefused() throws Exception {
        Map<String, long[]> tensors = TinyPlans.neoxTensors();
        tensors.put("gpt_neox.layers.0.attention.rotary_emb.extra", new long[] {4});
        assertEquals("model.safetensors: tensor 'gpt_neox.layers.0.attention.rotary_emb.extra' is not used by"
                + " GPTNeoXForCausalLM as config.json describes it (unexpected tensor)", failure(tensors));
    }
}
