package io.tttv2.cli.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.tensor.DType;
import io.tttv2.cli.UserError;
import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reference must match the model exactly, key by key, or validate fails naming the key and both shapes. */
class ReferenceShapesTest {
    /** vocab 16, hidden 8, 2 layers, context 32. */
    private static final ModelInfo MODEL = new ModelInfo("TinyForCausalLM", 16, 8, 2, 32, List.of(0),
            KvCacheSpec.forHeads(2, 1, 8, KvCacheSpec.DEFAULT_BLOCK_SIZE, 1, DType.F32));

    @TempDir
    Path dir;

    /** A reference for MODEL of 1 sequence, 3 prompt tokens and 2 generated, edited by {@code edit}. */
    private ReferenceFile reference(UnaryOperator<SafetensorsWriter> edit) throws IOException {
        Path file = dir.resolve("reference.safetensors");
        edit.apply(new SafetensorsWriter()
                .addI64("input_ids", new long[] {1, 3}, new long[] {1, 2, 3})
                .addI64("generated_ids", new long[] {1, 5}, new long[] {1, 2, 3, 4, 5})
                .addF32("decode_top2_margin", new long[] {1, 2}, new float[2])).write(file);
        return ReferenceFile.open(file);
    }

    private static String refusal(ReferenceFile ref) {
        try (ref) {
            return assertThrows(UserError.class, () -> ReferenceShapes.check(ref, MODEL)).getMessage();
        }
    }

    @Test
    void aMatchingReferenceGivesItsDimensions() throws IOException {
        try (ReferenceFile ref = reference(w -> w.addF32("logits", new long[] {1, 3, 16}, new float[48])
                .addF32("hidden_states", new long[] {3, 1, 3, 8}, new float[72])
                .addF32("decode_logits", new long[] {1, 2, 16}, new float[32]))) {
            assertEquals(new ReferenceShapes(1, 3, 2), ReferenceShapes.check(ref, MODEL));
        }
    }

    @Test
    void logitsOfAnotherVocabularyAreNamed() throws IOException {
        assertEquals("reference.safetensors: tensor 'logits' has shape [1, 3, 15], expected [1, 3, 16] ([batch, tokens,"
                        + " vocab_size] of input_ids and the model)",
                refusal(reference(w -> w.addF32("logits", new long[] {1, 3, 15}, new float[45]))));
    }

    @Test
    void hiddenStatesOfFewerLayersAreNamed() throws IOException {
        assertEquals("reference.safetensors: tensor 'hidden_states' has shape [2, 1, 3, 8], expected [3, 1, 3, 8]"
                        + " ([layers + 1, batch, tokens, hidden_size] of input_ids and the model)",
                refusal(reference(w -> w.addF32("hidden_states", new long[] {2, 1, 3, 8}, new float[48]))));
    }

    @Test
    void decodeLogitsOfMoreStepsThanGeneratedAreNamed() throws IOException {
        assertEquals("reference.safetensors: tensor 'decode_logits' has shape [1, 3, 16], expected [1, 2, 16]"
                        + " ([batch, generated tokens, vocab_size] of input_ids and the model)",
                refusal(reference(w -> w.addF32("decode_logits", new long[] {1, 3, 16}, new float[48]))));
    }

    @Test
    void generatedIdsShorterThanThePromptAreNamed() throws IOException {
        Path file = dir.resolve("reference.safetensors");
        new SafetensorsWriter().addI64("input_ids", new long[] {1, 3}, new long[] {1, 2, 3})
                .addI64("generated_ids", new long[] {1, 2}, new long[] {1, 2}).write(file);
        assertEquals("reference.safetensors: tensor 'generated_ids' has shape [1, 2], expected [1, T+N] with T+N ≥ 3"
                + " ([batch, tokens] of input_ids, then N generated)", refusal(ReferenceFile.open(file)));
    }

    @Test
    void tokensBeyondTheVocabularyAreNamed() throws IOException {
        Path file = dir.resolve("reference.safetensors");
        new SafetensorsWriter().addI64("input_ids", new long[] {1, 3}, new long[] {1, 99, 3}).write(file);
        assertEquals("reference.safetensors: tensor 'input_ids' holds token id 99 at [0, 1], expected ids in [0, 16)"
                + " (the model's vocab_size)", refusal(ReferenceFile.open(file)));
    }

    @Test
    void sequencesBeyondTheContextAreRefusedBeforeAnythingIsAllocated() throws IOException {
        Path file = dir.resolve("reference.safetensors");
        new SafetensorsWriter().addI64("input_ids", new long[] {1, 40}, new long[40]).write(file);
        assertEquals("reference.safetensors: input_ids holds sequences of 40 tokens, expected at most the model's"
                + " context of 32", refusal(ReferenceFile.open(file)));
    }

    @Test
    void aBatchBeyondTheLimitIsRefusedBeforeTheModelIsBuilt() throws IOException {
        Path file = dir.resolve("reference.safetensors");
        new SafetensorsWriter().addI64("input_ids", new long[] {65, 1}, new long[65]).write(file);
        try (ReferenceFile ref = ReferenceFile.open(file)) {
            assertEquals("reference.safetensors: tensor 'input_ids' has shape [65, 1], expected [B, T] with 1 ≤ B ≤ 64"
                    + " sequences of T ≥ 1 tokens", assertThrows(UserError.class, () -> ReferenceShapes.batch(ref)).getMessage());
        }
    }
}
