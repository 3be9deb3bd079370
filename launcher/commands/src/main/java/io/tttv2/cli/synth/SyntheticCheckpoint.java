package io.tttv2.cli.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.hf.safetensors.Dtype;
import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a randomly initialised HuggingFace checkpoint of a {@link SynthPreset}'s shape: {@code config.json}
 * with the real architecture's keys, the weights as safetensors (sharded with a
 * {@code model.safetensors.index.json} past {@link #MAX_SHARD_BYTES}), and a tokenizer copied from a
 * model folder.
 *
 * <p>One shard at a time is generated off-heap, written and freed: a 2 GB model needs at most one shard's
 * worth of native memory and almost no heap.
 *
 * @param preset        the shape
 * @param vocab         rows of the embedding (and LM head)
 * @param dtype         BF16, F16 or F32
 * @param seed          the values are a function of the seed (and the tensor names) only
 * @param tokenizerDir  folder holding tokenizer.json and tokenizer_config.json to copy
 * @param special       the tokenizer's BOS/EOS id, written as bos/eos/pad_token_id
 * @param maxShardBytes a shard holds tensors up to this many bytes (a larger tensor gets a shard of its own)
 */
record SyntheticCheckpoint(SynthPreset preset, int vocab, Dtype dtype, long seed, Path tokenizerDir, int special,
                           long maxShardBytes) {

    /** HF's writer shards at 5 GB; smaller shards bound this writer's native memory (one shard at a time). */
    static final long MAX_SHARD_BYTES = 1L << 30;
    /** HF's {@code initializer_range} for these models. */
    static final double STD = 0.02;
    static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json");

    /** Writes the checkpoint into {@code out} (created if absent); returns the number of parameters. */
    long write(Path out) throws IOException {
        Files.createDirectories(out);
        List<List<SynthPreset.TensorPlan>> shards = shards(preset.tensors(vocab));
        Map<String, String> weightMap = new LinkedHashMap<>();
        long parameters = 0;
        long totalBytes = 0;
        for (int s = 0; s < shards.size(); s++) {
            String file = shards.size() == 1 ? "model.safetensors"
                    : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", s + 1, shards.size());
            try (Arena arena = Arena.ofShared()) {   // shared: chunks are filled in parallel
                SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
                for (SynthPreset.TensorPlan t : shards.get(s)) {
                    MemorySegment bytes = arena.allocate(t.elements() * dtype.byteSize(), 64);
                    SyntheticValues.fill(bytes, dtype, t.elements(), t.init(), STD, seed, t.name());
                    writer.add(t.name(), dtype, t.shape(), bytes);
                    weightMap.put(t.name(), file);
                    parameters += t.elements();
                    totalBytes += bytes.byteSize();
                }
                writer.write(out.resolve(file));
            }
            readableByAll(out.resolve(file));
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Path index = out.resolve("model.safetensors.index.json");
        if (shards.size() > 1) {
            ObjectNode root = json.createObjectNode();
            root.putObject("metadata").put("total_size", totalBytes);
            ObjectNode map = root.putObject("weight_map");
            weightMap.forEach(map::put);
            json.writeValue(index.toFile(), root);
        } else {
            Files.deleteIfExists(index);   // a stale index beside a single file would name shards that are gone
        }
        json.writeValue(out.resolve("config.json").toFile(), config(json));
        ObjectNode generation = json.createObjectNode();
        generation.put("bos_token_id", special).put("eos_token_id", special).put("do_sample", false);
        json.writeValue(out.resolve("generation_config.json").toFile(), generation);
        for (String name : TOKENIZER_FILES) {
            Files.copy(tokenizerDir.resolve(name), out.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return parameters;
    }

    /** The writer's temporary file is private to its owner; a checkpoint is meant to be shared like any other. */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults stand
        }
    }

    /** Consecutive tensors grouped up to {@link #maxShardBytes} each, in model order. */
    private List<List<SynthPreset.TensorPlan>> shards(List<SynthPreset.TensorPlan> tensors) {
        List<List<SynthPreset.TensorPlan>> shards = new ArrayList<>();
        List<SynthPreset.TensorPlan> current = new ArrayList<>();
        long bytes = 0;
        for (SynthPreset.TensorPlan t : tensors) {
            long size = t.elements() * dtype.byteSize();
            if (!current.isEmpty() && bytes + size > maxShardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(t);
            bytes += size;
        }
        shards.add(current);
        return shards;
    }

    /** config.json as the real checkpoint spells it, with this checkpoint's vocabulary, tokens and dtype. */
    private ObjectNode config(ObjectMapper json) {
        ObjectNode c = json.createObjectNode();
        c.putArray("architectures").add(preset.architecture());
        boolean qwen2 = preset.modelType().equals("qwen2");
        if (!qwen2) {
            c.put("attention_bias", false);
        }
        c.put("attention_dropout", 0.0);
        c.put("bos_token_id", special);
        c.put("eos_token_id", special);
        c.put("pad_token_id", special);
        if (!qwen2) {
            c.put("head_dim", preset.headDim());    // Qwen2 derives it: hidden_size / num_attention_heads
        }
        c.put("hidden_act", "silu");
        c.put("hidden_size", preset.hiddenSize());
        c.put("initializer_range", STD);
        c.put("intermediate_size", preset.intermediateSize());
        c.put("max_position_embeddings", preset.maxPositions());
        if (qwen2) {
            c.put("max_window_layers", preset.layers());
        } else {
            c.put("mlp_bias", false);
        }
        c.put("model_type", preset.modelType());
        c.put("num_attention_heads", preset.heads());
        c.put("num_hidden_layers", preset.layers());
        c.put("num_key_value_heads", preset.kvHeads());
        if (!qwen2) {
            c.put("pretraining_tp", 1);
        }
        c.put("rms_norm_eps", preset.rmsNormEps());
        if (preset.llama3Rope()) {
            ObjectNode scaling = c.putObject("rope_scaling");
            scaling.put("factor", 32.0).put("high_freq_factor", 4.0).put("low_freq_factor", 1.0)
                    .put("original_max_position_embeddings", 8192).put("rope_type", "llama3");
        } else if (!qwen2) {
            c.putNull("rope_scaling");
        }
        c.put("rope_theta", preset.ropeTheta());
        if (qwen2) {
            c.put("sliding_window", preset.maxPositions());
        }
        c.put("tie_word_embeddings", preset.tiedEmbeddings());
        c.put("torch_dtype", switch (dtype) {
            case BF16 -> "bfloat16";
            case F16 -> "float16";
            case F32 -> "float32";
            default -> throw new IllegalArgumentException("dtype expected BF16, F16 or F32, found " + dtype);
        });
        c.put("use_cache", true);
        if (qwen2) {
            c.put("use_sliding_window", false);
        }
        c.put("vocab_size", vocab);
        return c;
    }
}
