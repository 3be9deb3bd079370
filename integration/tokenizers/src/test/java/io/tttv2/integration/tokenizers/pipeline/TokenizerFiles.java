package io.tttv2.integration.tokenizers.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small tokenizer.json files written for a test. */
final class TokenizerFiles {
    private TokenizerFiles() {
    }

    /** A tokenizer.json with the given components (JSON fragments; "null" for none). */
    static Path write(Path dir, String addedTokens, String normalizer, String preTokenizer, String model) {
        String json = """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": %s, "normalizer": %s, "pre_tokenizer": %s, "model": %s,
                 "post_processor": null, "decoder": null}
                """.formatted(addedTokens, normalizer, preTokenizer, model);
        try {
            Path file = dir.resolve("tokenizer.json");
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A BPE model over single characters {@code chars} plus {@code extra} tokens, with {@code merges}. */
    static String bpe(String chars, String extraVocab, String merges, String options) {
        StringBuilder vocab = new StringBuilder("{");
        int id = 0;
        for (int i = 0; i < chars.length(); i++) {
            vocab.append(id == 0 ? "" : ",").append('"').append(chars.charAt(i)).append("\":").append(id++);
        }
        for (String token : extraVocab.isEmpty() ? new String[0] : extraVocab.split(" ")) {
            vocab.append(id == 0 ? "" : ",").append('"').append(token).append("\":").append(id++);
        }
        vocab.append('}');
        return "{\"type\": \"BPE\", \"vocab\": " + vocab + ", \"merges\": " + merges + (options.isEmpty() ? "" : ", " + options) + "}";
    }
}
