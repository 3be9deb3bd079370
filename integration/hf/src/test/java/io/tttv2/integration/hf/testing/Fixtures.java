package io.tttv2.integration.hf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The HuggingFace reference fixtures in the repository (testdata/fixtures), found through {@code tttv2.root}. */
public final class Fixtures {
    /** Every model folder of testdata/fixtures; the README lists 20. */
    public static final int MODEL_COUNT = 20;

    private Fixtures() {
    }

    public static Path root() {
        String root = System.getProperty("tttv2.root");
        if (root == null) {
            throw new IllegalStateException("system property tttv2.root is not set (surefire sets it from the root pom)");
        }
        Path fixtures = Path.of(root, "testdata", "fixtures");
        if (!Files.isDirectory(fixtures)) {
            throw new IllegalStateException(fixtures + " is not a directory");
        }
        return fixtures;
    }

    public static Path model(String name) {
        return root().resolve(name);
    }

    /** Every fixture folder that holds a config.json (the model fixtures), sorted by name. */
    public static List<Path> models() {
        try (Stream<Path> dirs = Files.list(root())) {
            List<Path> models = dirs.filter(d -> Files.isRegularFile(d.resolve("config.json"))).sorted().toList();
            if (models.size() != MODEL_COUNT) {
                throw new IllegalStateException("expected " + MODEL_COUNT + " model fixtures in " + root()
                        + ", found " + models.size());
            }
            return models;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Stream<Path> modelStream() {
        return models().stream();
    }
}
