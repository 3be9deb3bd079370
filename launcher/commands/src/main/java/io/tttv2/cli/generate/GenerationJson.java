package io.tttv2.cli.generate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.generation.GenerationResult;
import io.tttv2.integration.generation.GenerationStats;
import java.nio.file.Path;

/**
 * {@code generate --json}: the result as one JSON object on one line. Non-ASCII characters are escaped, so
 * the text survives any terminal or pipe encoding.
 */
final class GenerationJson {

    private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

    private GenerationJson() {
    }

    static String of(Path model, String prompt, GenerationResult result) {
        ObjectNode root = JSON.createObjectNode();
        root.put("model", model.toString());
        root.put("prompt", prompt);
        ids(root.putArray("prompt_ids"), result.promptIds());
        root.put("text", result.text());
        ids(root.putArray("generated_ids"), result.generatedIds());
        root.put("finish_reason", result.finishReason().id());
        if (result.seed().isPresent()) {
            root.put("seed", result.seed().getAsLong());
        } else {
            root.putNull("seed");
        }
        GenerationStats s = result.stats();
        ObjectNode figures = root.putObject("figures");
        figures.put("prompt_tokens", s.promptTokens());
        figures.put("generated_tokens", s.generatedTokens());
        figures.put("prefill_seconds", s.prefillNanos() / 1e9);
        figures.put("decode_seconds", s.decodeNanos() / 1e9);
        rate(figures, "prefill_tokens_per_second", s.prefillTokensPerSecond());
        rate(figures, "decode_tokens_per_second", s.decodeTokensPerSecond());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    private static void ids(ArrayNode array, int[] ids) {
        for (int id : ids) {
            array.add(id);
        }
    }

    private static void rate(ObjectNode figures, String key, double value) {
        if (Double.isNaN(value)) {
            figures.putNull(key);
        } else {
            figures.put(key, value);
        }
    }
}
