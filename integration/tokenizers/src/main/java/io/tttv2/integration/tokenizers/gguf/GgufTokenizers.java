package io.tttv2.integration.tokenizers.gguf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.hf.gguf.GgufFile;
import io.tttv2.integration.hf.gguf.GgufMetadata;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import io.tttv2.integration.tokenizers.chat.JinjaChatTemplate;
import io.tttv2.integration.tokenizers.pipeline.TokenizerLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The tokenizer and chat template of a GGUF model file, from its {@code tokenizer.ggml.*} and {@code tokenizer.chat_template}. */
public final class GgufTokenizers {
    private GgufTokenizers() {
    }

    public static Tokenizer tokenizer(Path gguf) {
        GgufMetadata m = metadata(gguf);
        ObjectNode json = GgufTokenizerJson.of(m);
        return TokenizerLoader.load(gguf, json);
    }

    public static ChatTemplate chatTemplate(Path gguf) {
        GgufMetadata m = metadata(gguf);
        String template = m.optionalString("tokenizer.chat_template").orElseThrow(() -> new TokenizerException(gguf
                + ": no chat template (expected the key 'tokenizer.chat_template')"));
        String[] tokens = m.optionalStrings("tokenizer.ggml.tokens").orElse(new String[0]);
        Map<String, Object> variables = new HashMap<>();
        token(m, tokens, "tokenizer.ggml.bos_token_id").ifPresent(t -> variables.put("bos_token", t));
        token(m, tokens, "tokenizer.ggml.eos_token_id").ifPresent(t -> variables.put("eos_token", t));
        return new JinjaChatTemplate(gguf + "#tokenizer.chat_template", template, variables);
    }

    private static java.util.Optional<String> token(GgufMetadata m, String[] tokens, String key) {
        return m.optionalCount(key).filter(id -> id < tokens.length).map(id -> tokens[id]);
    }

    private static GgufMetadata metadata(Path gguf) {
        try (GgufFile f = GgufFile.open(gguf)) {
            return f.metadata();
        } catch (CheckpointFormatException e) {
            throw new TokenizerException(e.getMessage());
        }
    }
}
