package io.tttv2.cli.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.cli.UserError;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a synthetic checkpoint needs to know of the tokenizer it ships: how many ids it can produce (the
 * smallest vocabulary that embeds them all) and the id of its end-of-text token (written as BOS/EOS/pad).
 *
 * @param size    one past the largest id in {@code model.vocab} and {@code added_tokens}
 * @param special the id of tokenizer_config.json's {@code eos_token}
 */
record EmbeddedTokenizer(int size, int special) {

    static EmbeddedTokenizer read(Path dir) {
        ObjectMapper json = new ObjectMapper();
        Path tokenizerFile = dir.resolve("tokenizer.json");
        Path configFile = dir.resolve("tokenizer_config.json");
        JsonNode tokenizer;
        JsonNode config;
        try {
            tokenizer = json.readTree(tokenizerFile.toFile());
            config = json.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new UserError(dir + ": expected tokenizer.json and tokenizer_config.json of the embedded model, "
                    + "found them unreadable (" + e.getMessage() + ")");
        }
        int max = -1;
        for (Map.Entry<String, JsonNode> e : tokenizer.path("model").path("vocab").properties()) {
            max = Math.max(max, e.getValue().asInt());
        }
        for (JsonNode added : tokenizer.path("added_tokens")) {
            max = Math.max(max, added.path("id").asInt());
        }
        JsonNode eos = config.path("eos_token");
        String eosText = eos.isObject() ? eos.path("content").asText() : eos.asText();
        Integer special = null;
        for (JsonNode added : tokenizer.path("added_tokens")) {
            if (added.path("content").asText().equals(eosText)) {
                special = added.path("id").asInt();
            }
        }
        if (special == null && tokenizer.path("model").path("vocab").has(eosText)) {
            special = tokenizer.path("model").path("vocab").get(eosText).asInt();
        }
        if (max < 0 || special == null) {
            throw new UserError(tokenizerFile + ": expected a vocabulary holding eos_token '" + eosText
                    + "' of tokenizer_config.json, found " + (max < 0 ? "no vocabulary" : "no such token"));
        }
        return new EmbeddedTokenizer(max + 1, special);
    }
}
