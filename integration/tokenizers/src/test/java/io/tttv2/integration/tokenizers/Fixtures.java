package io.tttv2.integration.tokenizers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** The HuggingFace tokenizer fixtures in {@code testdata/fixtures/tokenizers}, found through {@code tttv2.root}. */
final class Fixtures {
    static final String BYTELEVEL = "bytelevel-bpe";
    static final String SENTENCEPIECE = "sentencepiece-bpe";
    static final String WORDPIECE = "wordpiece";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    private Fixtures() {
    }

    static Path root() {
        String root = System.getProperty("tttv2.root");
        if (root == null) {
            throw new IllegalStateException("system property tttv2.root is not set (surefire sets it)");
        }
        return Path.of(root);
    }

    static Path tokenizersDir() {
        return root().resolve("testdata/fixtures/tokenizers");
    }

    /** Every fixture folder that has a cases.json, sorted by name. */
    static List<Path> fixtureDirs() {
        try (Stream<Path> dirs = Files.list(tokenizersDir())) {
            List<Path> found = dirs.filter(d -> Files.exists(d.resolve("cases.json"))).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("no tokenizer fixtures under " + tokenizersDir());
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Tokenizer tokenizer(String name) {
        return TOKENIZERS.computeIfAbsent(name, n -> Tokenizer.load(tokenizersDir().resolve(n).resolve("tokenizer.json")));
    }

    static JsonNode cases(Path dir) {
        try {
            return JSON.readTree(dir.resolve("cases.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).intValue();
        }
        return out;
    }

    static List<String> strings(JsonNode array) {
        return Stream.iterate(0, i -> i < array.size(), i -> i + 1).map(i -> array.get(i).asText()).toList();
    }
}
