package io.tttv2.integration.spark;

import java.nio.file.Files;
import java.nio.file.Path;

/** The distribution the reactor just assembled (launcher/distribution/target/tttv2) and the repository's test data. */
final class BuiltDistribution {

    private BuiltDistribution() {
    }

    static Path root() {
        String root = System.getProperty("tttv2.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property tttv2.root is not set: run the tests through Maven (./test)");
        }
        return Path.of(root).toAbsolutePath().normalize();
    }

    static Path home() {
        Path home = root().resolve("launcher/distribution/target/tttv2");
        if (!Files.isDirectory(home.resolve("bundles"))) {
            throw new IllegalStateException(home + ": no distribution; build it first (mvn package)");
        }
        return home;
    }

    static Path kjvTiny() {
        return home().resolve("models/kjv-tiny");
    }
}
