package io.tttv2.cli.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.integration.hf.safetensors.Checkpoint;
import io.tttv2.integration.hf.safetensors.Dtype;
import io.tttv2.integration.hf.safetensors.TensorEntry;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A preset-shaped checkpoint written, read back with the project's reader, and looked at. */
class SyntheticCheckpointTest {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @TempDir
    Path dir;
    Path tokenizer;

    @BeforeEach
    void tokenizerFiles() throws IOException {
        tokenizer = Files.createDirectories(dir.resolve("tok"));
        Files.writeString(tokenizer.resolve("tokenizer.json"), """
                {"added_tokens": [{"id": 0, "content": "<|endoftext|>", "special": true}],
                 "model": {"type": "BPE", "vocab": {"<|endoftext|>": 0, "a": 1, "b": 2, "ab": 3}}}""");
        Files.writeString(tokenizer.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|endoftext|>\"}");
    }

    private Path write(SynthPreset preset, Dtype dtype, long seed, long shardBytes, String name) throws IOException {
        Path out = dir.resolve(name);
        new SyntheticCheckpoint(preset, 96, dtype, seed, tokenizer, 0, shardBytes).write(out);
        return out;
    }

    private static float value(TensorEntry e, long i) {
        return switch (e.dtype()) {
            case BF16 -> Float.intBitsToFloat(e.data().getAtIndex(I16, i) << 16);
            case F16 -> Float.float16ToFloat(e.data().getAtIndex(I16, i));
            case F32 -> e.data().getAtIndex(F32, i);
            default -> throw new AssertionError(e.dtype());
        };
    }

    @Test
    void everyTensorOfThePresetIsThereWithItsShapeNormsAtOneAndWeightsOfStd002() throws IOException {
        Path out = write(SynthPreset.TINY, Dtype.BF16, 1, SyntheticCheckpoint.MAX_SHARD_BYTES, "one");
        try (Checkpoint c = Checkpoint.open(out)) {
            assertEquals(SynthPreset.TINY.tensors(96).size(), c.names().size());
            assertArrayEquals(new long[] {96, 128}, c.entry("model.embed_tokens.weight").shape());
            assertArrayEquals(new long[] {64, 128}, c.entry("model.layers.1.self_attn.k_proj.weight").shape());
            assertArrayEquals(new long[] {128, 384}, c.entry("model.layers.0.mlp.down_proj.weight").shape());
            assertFalse(c.contains("lm_head.weight"), "Llama 3.2 ties its head to the embedding");
            TensorEntry norm = c.entry("model.layers.0.input_layernorm.weight");
            for (long i = 0; i < 128; i++) {
                assertEquals(1f, value(norm, i));
            }
            TensorEntry up = c.entry("model.layers.1.mlp.up_proj.weight");
            long n = 384 * 128;
            double sum = 0;
            double squares = 0;
            for (long i = 0; i < n; i++) {
                double v = value(up, i);
                sum += v;
                squares += v * v;
            }
            double mean = sum / n;
            double std = Math.sqrt(squares / n - mean * mean);
            assertEquals(0, mean, 0.001);
            assertEquals(0.02, std, 0.0005);
        }
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("LlamaForCausalLM", config.get("architectures").get(0).asText());
        assertEquals(96, config.get("vocab_size").asInt());
        assertEquals("llama3", config.get("rope_scaling").get("rope_type").asText());
        assertEquals("bfloat16", config.get("torch_dtype").asText());
        assertEquals(0, config.get("eos_token_id").asInt());
        assertTrue(Files.exists(out.resolve("tokenizer.json")));
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
        Path a = write(SynthPreset.TINY, Dtype.BF16, 5, SyntheticCheckpoint.MAX_SHARD_BYTES, "a");
        Path b = write(SynthPreset.TINY, Dtype.BF16, 5, SyntheticCheckpoint.MAX_SHARD_BYTES, "b");
        Path c = write(SynthPreset.TINY, Dtype.BF16, 6, SyntheticCheckpoint.MAX_SHARD_BYTES, "c");
        byte[] first = Files.readAllBytes(a.resolve("model.safetensors"));
        assertArrayEquals(first, Files.readAllBytes(b.resolve("model.safetensors")));
        assertFalse(java.util.Arrays.equals(first, Files.readAllBytes(c.resolve("model.safetensors"))));
    }

    @Test
    void f32AndF16HoldTheSameModelAsBf16() throws IOException {
        Path bf16 = write(SynthPreset.TINY, Dtype.BF16, 3, SyntheticCheckpoint.MAX_SHARD_BYTES, "bf16");
        Path f32 = write(SynthPreset.TINY, Dtype.F32, 3, SyntheticCheckpoint.MAX_SHARD_BYTES, "f32");
        Path f16 = write(SynthPreset.TINY, Dtype.F16, 3, SyntheticCheckpoint.MAX_SHARD_BYTES, "f16");
        try (Checkpoint x = Checkpoint.open(bf16); Checkpoint y = Checkpoint.open(f32); Checkpoint z = Checkpoint.open(f16)) {
            String name = "model.layers.0.self_attn.q_proj.weight";
            assertEquals(Dtype.F32, y.entry(name).dtype());
            for (long i = 0; i < 128 * 128; i++) {
                float v = value(x.entry(name), i);
                assertEquals(v, value(y.entry(name), i));
                assertEquals(v, value(z.entry(name), i), Math.abs(v) * 1e-3 + 1e-7);
            }
        }
    }

    @Test
    void aLargeModelIsShardedWithAnIndexTheReaderFollows() throws IOException {
        Path out = write(SynthPreset.TINY, Dtype.BF16, 1, 100_000, "sharded");
        assertFalse(Files.exists(out.resolve("model.safetensors")));
        assertTrue(Files.exists(out.resolve("model.safetensors.index.json")));
        try (Checkpoint sharded = Checkpoint.open(out);
             Checkpoint single = Checkpoint.open(write(SynthPreset.TINY, Dtype.BF16, 1, SyntheticCheckpoint.MAX_SHARD_BYTES, "single"))) {
            assertTrue(sharded.files().size() > 2, "files: " + sharded.files());
            assertEquals(single.names().stream().sorted().toList(), sharded.names().stream().sorted().toList());
            TensorEntry a = sharded.entry("model.layers.1.mlp.gate_proj.weight");
            TensorEntry b = single.entry("model.layers.1.mlp.gate_proj.weight");
            assertEquals(-1, a.data().mismatch(b.data()));
        }
    }

    @Test
    void qwen2HasQkvBiasesAtZeroAndItsOwnConfigKeys() throws IOException {
        Path out = write(SynthPreset.QWEN2_5_0_5B.withLayers(1), Dtype.BF16, 1, SyntheticCheckpoint.MAX_SHARD_BYTES, "qwen");
        try (Checkpoint c = Checkpoint.open(out)) {
            TensorEntry bias = c.entry("model.layers.0.self_attn.k_proj.bias");
            assertArrayEquals(new long[] {128}, bias.shape());
            for (long i = 0; i < 128; i++) {
                assertEquals(0f, value(bias, i));
            }
            assertArrayEquals(new long[] {896, 896}, c.entry("model.layers.0.self_attn.q_proj.weight").shape());
        }
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertEquals("qwen2", config.get("model_type").asText());
        assertEquals(1, config.get("num_hidden_layers").asInt());
        assertFalse(config.has("head_dim"));
        assertTrue(config.get("tie_word_embeddings").asBoolean());
    }

    @Test
    void theStandardDrawHasUnitVarianceAndBf16RoundsToNearest() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(9);
        double squares = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double z = SyntheticValues.standard(r.nextLong());
            assertTrue(Math.abs(z) <= 2 * Math.sqrt(3));
            squares += z * z;
        }
        assertEquals(1.0, squares / n, 0.02);
        assertEquals(1.0f, SyntheticValues.toBf16(1.0f + 0x1p-9f));   // below half an ulp of bf16 (2^-8)
        assertEquals(1.0f + 0x1p-7f, SyntheticValues.toBf16(1.0f + 0x1p-7f - 0x1p-10f));
    }

    @Test
    void theEmbeddedTokenizerGivesItsSizeAndEndOfTextId() {
        EmbeddedTokenizer t = EmbeddedTokenizer.read(tokenizer);
        assertEquals(4, t.size());
        assertEquals(0, t.special());
    }
}
