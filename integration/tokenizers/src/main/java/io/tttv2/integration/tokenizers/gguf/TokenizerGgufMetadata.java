package io.tttv2.integration.tokenizers.gguf;

import com.fasterxml.jackson.databind.JsonNode;
import io.tttv2.integration.hf.gguf.GgufValue;
import io.tttv2.integration.tokenizers.TokenizerException;
import io.tttv2.integration.tokenizers.pipeline.TokenizerLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A model folder's byte-level BPE tokenizer (tokenizer.json, tokenizer_config.json, chat template) as the
 * {@code tokenizer.ggml.*} metadata llama.cpp reads: {@code gpt2} model, the pre-tokenizer named by its split
 * regex, tokens by id with their types (added special tokens are control tokens, other added tokens
 * user-defined, unused ids padding), merges, BOS/EOS ids and whether the post-processor adds them.
 */
public final class TokenizerGgufMetadata {
    private static final int UNUSED = 5;

    private TokenizerGgufMetadata() {
    }

    /**
     * @param bosId config.json's bos_token_id, used when tokenizer_config.json names no bos_token (may be null)
     * @param eosId likewise for the EOS token
     * @throws TokenizerException one line naming the file and what this writer does not convert
     */
    public static Map<String, GgufValue> of(Path modelDirectory, Integer bosId, Integer eosId) {
        Path file = modelDirectory.resolve("tokenizer.json");
        JsonNode root = TokenizerLoader.readJson(file);
        JsonNode model = root.path("model");
        if (!model.path("type").asText("BPE").equals("BPE") || !model.has("merges")) {
            throw new TokenizerException(file + ": model expected a BPE model with merges to write as GGUF, found "
                    + model.path("type").asText("none"));
        }
        String pre = preTokenizer(file, root.path("pre_tokenizer"));
        Map<String, Integer> ids = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> vocab = model.path("vocab").fields();
        int size = 0;
        while (vocab.hasNext()) {
            Map.Entry<String, JsonNode> e = vocab.next();
            ids.put(e.getKey(), e.getValue().asInt());
            size = Math.max(size, e.getValue().asInt() + 1);
        }
        Map<Integer, JsonNode> added = new LinkedHashMap<>();
        for (JsonNode t : root.path("added_tokens")) {
            added.put(t.path("id").asInt(), t);
            ids.putIfAbsent(t.path("content").asText(), t.path("id").asInt());
            size = Math.max(size, t.path("id").asInt() + 1);
        }
        String[] tokens = new String[size];
        long[] types = new long[size];
        ids.forEach((token, id) -> {
            if (tokens[id] == null) {
                tokens[id] = token;
                types[id] = GgufTokenizerJson.NORMAL;
            }
        });
        added.forEach((id, t) -> {
            tokens[id] = t.path("content").asText();
            types[id] = t.path("special").asBoolean(false) ? GgufTokenizerJson.CONTROL : GgufTokenizerJson.USER_DEFINED;
        });
        for (int id = 0; id < size; id++) {
            if (tokens[id] == null) {
                tokens[id] = "[PAD" + id + "]";
                types[id] = UNUSED;
            }
        }
        String[] merges = new String[model.path("merges").size()];
        int i = 0;
        for (JsonNode merge : model.path("merges")) {
            merges[i++] = merge.isArray() ? merge.get(0).asText() + " " + merge.get(1).asText() : merge.asText();
        }

        Map<String, GgufValue> out = new LinkedHashMap<>();
        out.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        out.put("tokenizer.ggml.pre", GgufValue.string(pre));
        out.put("tokenizer.ggml.tokens", GgufValue.strings(tokens));
        out.put("tokenizer.ggml.token_type", GgufValue.int32s(types));
        out.put("tokenizer.ggml.merges", GgufValue.strings(merges));
        Path configFile = modelDirectory.resolve("tokenizer_config.json");
        JsonNode config = Files.isRegularFile(configFile) ? TokenizerLoader.readJson(configFile) : null;
        special(config, "bos_token", ids).or(() -> Optional.ofNullable(bosId))
                .ifPresent(id -> out.put("tokenizer.ggml.bos_token_id", GgufValue.uint32(id)));
        special(config, "eos_token", ids).or(() -> Optional.ofNullable(eosId))
                .ifPresent(id -> out.put("tokenizer.ggml.eos_token_id", GgufValue.uint32(id)));
        special(config, "pad_token", ids)
                .ifPresent(id -> out.put("tokenizer.ggml.padding_token_id", GgufValue.uint32(id)));
        JsonNode post = root.path("post_processor");
        boolean template = post.path("type").asText().equals("TemplateProcessing");
        JsonNode single = post.path("single");
        out.put("tokenizer.ggml.add_bos_token", GgufValue.bool(template && single.size() > 0
                && single.get(0).has("SpecialToken")));
        out.put("tokenizer.ggml.add_eos_token", GgufValue.bool(template && single.size() > 1
                && single.get(single.size() - 1).has("SpecialToken")));
        chatTemplate(modelDirectory, config).ifPresent(t -> out.put("tokenizer.chat_template", GgufValue.string(t)));
        return out;
    }

    /** The GGUF pre-tokenizer a byte-level tokenizer.json's pre_tokenizer is. */
    private static String preTokenizer(Path file, JsonNode pre) {
        if (pre.path("type").asText().equals("ByteLevel") && pre.path("use_regex").asBoolean(true)) {
            return GgufPreTokenizer.GPT2.ggufName;
        }
        if (pre.path("type").asText().equals("Sequence") && pre.path("pretokenizers").size() == 2) {
            JsonNode split = pre.path("pretokenizers").get(0);
            JsonNode byteLevel = pre.path("pretokenizers").get(1);
            if (split.path("type").asText().equals("Split") && byteLevel.path("type").asText().equals("ByteLevel")
                    && !byteLevel.path("use_regex").asBoolean(true)) {
                Optional<GgufPreTokenizer> known = GgufPreTokenizer.ofRegex(split.path("pattern").path("Regex").asText());
                if (known.isPresent()) {
                    return known.get().ggufName;
                }
            }
        }
        throw new TokenizerException(file + ": pre_tokenizer expected a byte-level split llama.cpp knows ("
                + GgufPreTokenizer.names() + ") to write as GGUF, found another");
    }

    private static Optional<Integer> special(JsonNode config, String key, Map<String, Integer> ids) {
        if (config == null || !config.hasNonNull(key)) {
            return Optional.empty();
        }
        JsonNode v = config.get(key);
        String content = v.isTextual() ? v.asText() : v.path("content").asText(null);
        return Optional.ofNullable(content == null ? null : ids.get(content));
    }

    private static Optional<String> chatTemplate(Path dir, JsonNode config) {
        Path jinja = dir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            try {
                return Optional.of(Files.readString(jinja, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new TokenizerException(jinja + ": cannot be read (" + e.getMessage() + ")");
            }
        }
        return config != null && config.path("chat_template").isTextual()
                ? Optional.of(config.get("chat_template").asText()) : Optional.empty();
    }
}
