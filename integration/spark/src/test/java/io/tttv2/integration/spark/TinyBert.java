package io.tttv2.integration.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The random BERT checkpoint of testdata/fixtures/bert (vocabulary 256) with the WordPiece tokenizer fixture cut
 * to the ids that checkpoint has, so texts of common words encode to real rows of its embedding table.
 */
final class TinyBert {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TinyBert() {
    }

    static Path write(Path model) throws Exception {
        Path fixtures = BuiltDistribution.root().resolve("testdata/fixtures");
        Files.createDirectories(model);
        for (String file : List.of("config.json", "model.safetensors")) {
            Files.copy(fixtures.resolve("bert").resolve(file), model.resolve(file));
        }
        int vocab = JSON.readTree(model.resolve("config.json").toFile()).get("vocab_size").asInt();
        ObjectNode tokenizer = (ObjectNode) JSON.readTree(fixtures.resolve("tokenizers/wordpiece/tokenizer.json").toFile());
        ObjectNode words = (ObjectNode) tokenizer.get("model").get("vocab");
        List<String> drop = new ArrayList<>();
        words.fields().forEachRemaining(e -> {
            if (e.getValue().asInt() >= vocab) {
                drop.add(e.getKey());
            }
        });
        words.remove(drop);
        JsonNode added = tokenizer.get("added_tokens");
        if (added != null) {
            for (JsonNode t : added) {
                if (t.get("id").asInt() >= vocab) {
                    throw new IllegalStateException("special token " + t + " is beyond the checkpoint's vocabulary " + vocab);
                }
            }
        }
        JSON.writeValue(model.resolve("tokenizer.json").toFile(), tokenizer);
        return model;
    }
}
