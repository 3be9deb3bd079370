package io.tttv2.integration.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.hf.config.GenerationConfig;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.testing.Fixtures;
import io.tttv2.integration.hf.testing.RawSafetensors;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every fixture's weights and references open, and agree with an independent decoding of the same bytes. */
class FixtureSafetensorsTest {

    static Stream<Path> safetensorsFiles() {
        return Fixtures.modelStream().flatMap(dir -> {
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.getFileName().toString().endsWith(".safetensors")).sorted().toList().stream();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void everyModelFixtureHasWeightsAndReference() {
        // 19 single-file models + 8 shards + 20 references
        assertEquals(19 + 8 + 20, safetensorsFiles().count());
    }

    @ParameterizedTest
    @MethodSource("safetensorsFiles")
    void namesShapesDtypesAndBytesMatchAnIndependentDecoding(Path file) {
        RawSafetensors raw = new RawSafetensors(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(raw.tensors.keySet(), java.util.Set.copyOf(f.names()));
            assertFalse(f.names().isEmpty());
            for (String name : f.names()) {
                TensorEntry e = f.entry(name);
                RawSafetensors.Raw r = raw.tensors.get(name);
                assertEquals(r.dtype(), e.dtype().name(), name);
                assertArrayEquals(r.shape(), e.shape(), name);
                assertArrayEquals(raw.bytes(name), e.data().toArray(ValueLayout.JAVA_BYTE), name);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.tttv2.integration.hf.testing.Fixtures#modelStream")
    void referenceKeysHaveTheDocumentedShapes(Path dir) {
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        try (SafetensorsFile ref = SafetensorsFile.open(dir.resolve("reference.safetensors"))) {
            TensorEntry ids = ref.entry("input_ids");
            assertEquals(Dtype.I64, ids.dtype());
            assertArrayEquals(new long[] {2, 12}, ids.shape()); // [B, T]
            if (ref.contains("decoder_input_ids")) {
                // encoder-decoder (t5): logits over the decoder inputs, generation starts from decoder_start_token_id
                long decoderT = ref.entry("decoder_input_ids").dim(1);
                assertArrayEquals(new long[] {2, decoderT, config.vocabSize()}, ref.entry("logits").shape());
                int start = GenerationConfig.read(dir.resolve("generation_config.json")).decoderStartTokenId().orElseThrow();
                long[] generated = ref.entry("generated_ids").toLongArray(); // [B, 1 + N]
                long perRow = ref.entry("generated_ids").dim(1);
                assertEquals(start, generated[0]);
                assertEquals(start, generated[(int) perRow]);
            } else if (ref.contains("generated_ids")) {
                assertArrayEquals(new long[] {2, 12, config.vocabSize()}, ref.entry("logits").shape()); // [B, T, V]
                assertArrayEquals(new long[] {2, 12 + 8}, ref.entry("generated_ids").shape()); // [B, T + N]
                // greedy generation starts with the prompt
                long[] prompt = ids.toLongArray();
                long[] generated = ref.entry("generated_ids").toLongArray();
                for (int b = 0; b < 2; b++) {
                    for (int t = 0; t < 12; t++) {
                        assertEquals(prompt[b * 12 + t], generated[b * 20 + t]);
                    }
                }
            } else {
                // encoder (bert)
                assertArrayEquals(new long[] {2, 12, config.hiddenSize()}, ref.entry("last_hidden_state").shape());
            }
        }
    }

    /** Decoder fixtures with Llama's weight names: shapes follow from config.json. */
    @ParameterizedTest
    @MethodSource("llamaLayout")
    void weightShapesFollowFromTheConfig(String fixture) {
        Path dir = Fixtures.model(fixture);
        HfConfig c = HfConfig.read(dir.resolve("config.json"));
        long hidden = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        long inter = c.intermediateSize();
        try (Checkpoint w = Checkpoint.open(dir)) {
            assertArrayEquals(new long[] {c.vocabSize(), hidden}, w.entry("model.embed_tokens.weight").shape());
            assertArrayEquals(new long[] {hidden}, w.entry("model.norm.weight").shape());
            for (int layer = 0; layer < c.numHiddenLayers(); layer++) {
                String p = "model.layers." + layer + ".";
                assertArrayEquals(new long[] {q, hidden}, w.entry(p + "self_attn.q_proj.weight").shape());
                assertArrayEquals(new long[] {kv, hidden}, w.entry(p + "self_attn.k_proj.weight").shape());
                assertArrayEquals(new long[] {kv, hidden}, w.entry(p + "self_attn.v_proj.weight").shape());
                assertArrayEquals(new long[] {hidden, q}, w.entry(p + "self_attn.o_proj.weight").shape());
                assertArrayEquals(new long[] {inter, hidden}, w.entry(p + "mlp.gate_proj.weight").shape());
                assertArrayEquals(new long[] {inter, hidden}, w.entry(p + "mlp.up_proj.weight").shape());
                assertArrayEquals(new long[] {hidden, inter}, w.entry(p + "mlp.down_proj.weight").shape());
            }
            assertEquals(!c.tieWordEmbeddings(), w.contains("lm_head.weight"));
        }
    }

    static List<String> llamaLayout() {
        return List.of("llama", "llama-bf16", "llama-sharded", "llama3-rope", "llama3-rope-legacy", "mistral", "qwen2",
                "qwen3");
    }

    /**
     * Llama's first hidden state is the embedding row of each token, computed in float32 from the stored
     * weights: for bf16 weights, from their exact float widening. Checks token ids, the embedding and the
     * bf16 conversion against an independently computed reference.
     */
    @ParameterizedTest
    @MethodSource("embeddingFixtures")
    void firstHiddenStateIsTheEmbeddingOfEachToken(String fixture) {
        Path dir = Fixtures.model(fixture);
        RawSafetensors ref = new RawSafetensors(dir.resolve("reference.safetensors"));
        try (Checkpoint w = Checkpoint.open(dir)) {
            TensorEntry embed = w.entry("model.embed_tokens.weight"); // [V, H]
            int hidden = (int) embed.dim(1);
            float[] table = embed.toFloatArray();
            for (int bt = 0; bt < 24; bt++) {
                int token = (int) ref.longAt("input_ids", bt);
                for (int h = 0; h < hidden; h++) {
                    float expected = ref.floatAt("hidden_states", bt * hidden + h); // [L+1, B, T, H], layer 0
                    assertEquals(expected, table[token * hidden + h], 0.0f, fixture + " token " + token + " dim " + h);
                }
            }
        }
    }

    static List<String> embeddingFixtures() {
        return List.of("llama", "llama-bf16", "llama-sharded");
    }

    @Test
    void bf16WideningMatchesBitLevelDecodingForEveryWeight() {
        Path file = Fixtures.model("llama-bf16").resolve("model.safetensors");
        RawSafetensors raw = new RawSafetensors(file);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (TensorEntry e : f.entries()) {
                assertEquals(Dtype.BF16, e.dtype());
                float[] values = e.toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    assertEquals(raw.floatAt(e.name(), i), values[i], 0.0f, e.name() + "[" + i + "]");
                }
            }
            // norm weights were drawn as 1 + 0.1·N(0,1): a wrong widening would not land near 1
            float[] norm = f.entry("model.norm.weight").toFloatArray();
            double mean = 0;
            for (float v : norm) {
                mean += v / norm.length;
            }
            assertEquals(1.0, mean, 0.1);
        }
    }

    @Test
    void shardedCheckpointMatchesItsIndexAndHasNoLmHeadBecauseEmbeddingsAreTied() throws Exception {
        Path dir = Fixtures.model("llama-sharded");
        var index = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("model.safetensors.index.json").toFile()).get("weight_map");
        try (Checkpoint w = Checkpoint.open(dir)) {
            List<String> expected = new java.util.ArrayList<>();
            index.fieldNames().forEachRemaining(expected::add);
            assertEquals(expected, w.names());
            assertEquals(8, w.files().size());
            for (String name : expected) {
                assertEquals(index.get(name).textValue(), w.entry(name).file().getFileName().toString(), name);
            }
            assertTrue(HfConfig.read(dir.resolve("config.json")).tieWordEmbeddings());
            assertFalse(w.contains("lm_head.weight"));
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> w.entry("lm_head.weight"));
            assertEquals(dir + ": tensor 'lm_head.weight' is missing from the checkpoint", e.getMessage());
        }
    }

    @Test
    void metadataOfModelFilesIsReadAndReferencesHaveNone() {
        try (SafetensorsFile model = SafetensorsFile.open(Fixtures.model("llama").resolve("model.safetensors"));
             SafetensorsFile ref = SafetensorsFile.open(Fixtures.model("llama").resolve("reference.safetensors"))) {
            assertEquals(java.util.Map.of("format", "pt"), model.metadata());
            assertEquals(java.util.Map.of(), ref.metadata());
        }
    }
}
