package io.tttv2.integration.hf.gguf;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The HuggingFace config.json a GGUF file's metadata describes ({@code <arch>.block_count} →
 * {@code num_hidden_layers}, …), so that the model bundles read a GGUF model as they read a checkpoint folder.
 * Each missing or unusable key is one line naming the file and the key.
 */
final class GgufHfConfig {
    private GgufHfConfig() {
    }

    static ObjectNode of(GgufFile file, GgufArchitecture arch) {
        GgufMetadata m = file.metadata();
        String p = arch.ggufName + ".";
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        c.putArray("architectures").add(arch.hfArchitecture);
        c.put("model_type", arch.modelType);
        int hidden = m.count(p + "embedding_length");
        int heads = m.count(p + "attention.head_count");
        c.put("hidden_size", hidden);
        c.put("num_hidden_layers", m.count(p + "block_count"));
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", m.optionalCount(p + "attention.head_count_kv").orElse(heads));
        c.put("intermediate_size", m.count(p + "feed_forward_length"));
        m.optionalCount(p + "context_length").ifPresent(n -> c.put("max_position_embeddings", n));
        m.optionalNumber(p + "attention.layer_norm_rms_epsilon").ifPresent(e -> c.put("rms_norm_eps", e));
        int headDim = m.optionalCount(p + "attention.key_length").orElse(heads == 0 ? 0 : hidden / heads);
        m.optionalCount(p + "attention.value_length").ifPresent(v -> {
            if (v != headDim) {
                throw new GgufFormatException(file.path() + ": key '" + p + "attention.value_length' expected "
                        + headDim + " (as attention.key_length), found " + v);
            }
        });
        c.put("head_dim", headDim);
        c.put("hidden_act", arch.hiddenAct);
        c.put("vocab_size", vocabSize(file, p));
        c.put("tie_word_embeddings", file.find("output.weight").isEmpty());
        c.put("attention_bias", file.find("blk.0.attn_q.bias").isPresent());
        c.put("dtype", dtype(file));
        m.optionalCount("tokenizer.ggml.bos_token_id").ifPresent(id -> c.put("bos_token_id", id));
        m.optionalCount("tokenizer.ggml.eos_token_id").ifPresent(id -> c.put("eos_token_id", id));
        m.optionalCount("tokenizer.ggml.padding_token_id").ifPresent(id -> c.put("pad_token_id", id));

        ObjectNode rope = c.putObject("rope_parameters");
        rope.put("rope_theta", m.optionalNumber(p + "rope.freq_base").orElse(10000.0));
        m.optionalCount(p + "rope.dimension_count").ifPresent(d -> {
            if (d != headDim) {
                rope.put("partial_rotary_factor", (double) d / headDim);
            }
        });
        String scaling = m.optionalString(p + "rope.scaling.type").orElse("none");
        switch (scaling) {
            case "none" -> rope.put("rope_type", "default");
            case "linear", "yarn" -> {
                rope.put("rope_type", scaling);
                rope.put("factor", m.optionalNumber(p + "rope.scaling.factor").orElseThrow(() -> new GgufFormatException(
                        file.path() + ": key '" + p + "rope.scaling.factor' expected a number for " + scaling
                                + " scaling, found it missing")));
                m.optionalCount(p + "rope.scaling.original_context_length")
                        .ifPresent(n -> rope.put("original_max_position_embeddings", n));
            }
            default -> throw new GgufFormatException(file.path() + ": key '" + p + "rope.scaling.type' expected none, "
                    + "linear or yarn, found '" + GgufParser.quote(scaling) + "'");
        }
        if (file.find("rope_freqs.weight").isPresent()) {
            Llama3Rope.fit(file, rope);
        }
        if (arch == GgufArchitecture.QWEN2 || arch == GgufArchitecture.QWEN3) {
            c.put("use_sliding_window", false);
        }
        return c;
    }

    /** {@code <arch>.vocab_size}, else the tokenizer's token count, else the embedding's rows. */
    private static int vocabSize(GgufFile file, String p) {
        Optional<Integer> stated = file.metadata().optionalCount(p + "vocab_size");
        if (stated.isPresent()) {
            return stated.get();
        }
        Optional<String[]> tokens = file.metadata().optionalStrings("tokenizer.ggml.tokens");
        if (tokens.isPresent()) {
            return tokens.get().length;
        }
        long[] dims = file.tensor("token_embd.weight").dims();
        if (dims.length != 2 || dims[1] > Integer.MAX_VALUE) {
            throw new GgufFormatException(file.path() + ": tensor 'token_embd.weight' expected [hidden, vocab], found "
                    + java.util.Arrays.toString(dims));
        }
        return (int) dims[1];
    }

    /** HF's {@code dtype}: the embedding's float type; float32 for a quantised embedding. */
    private static String dtype(GgufFile file) {
        return file.find("token_embd.weight").map(t -> switch (t.type()) {
            case F16 -> "float16";
            case BF16 -> "bfloat16";
            default -> "float32";
        }).orElse("float32");
    }
}
