package io.tttv2.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The distribution the reactor just assembled: {@code launcher/distribution/target/tttv2}, holding
 * {@code tttv2.jar} (the host) and {@code bundles/} (every bundle it installs). Found through the
 * {@code tttv2.root} system property that surefire and failsafe set to the reactor's root.
 */
public final class BuiltDistribution {

    private BuiltDistribution() {
    }

    /** The repository root, from {@code -Dtttv2.root}. */
    public static Path root() {
        String root = System.getProperty("tttv2.root");
        if (root == null || root.isBlank()) {
            throw new IllegalStateException("system property tttv2.root is not set: run the tests through Maven (./test)");
        }
        return Path.of(root).toAbsolutePath();
    }

    /** The assembled distribution's home folder. */
    public static Path home() {
        Path home = root().resolve("launcher/distribution/target/tttv2");
        if (!Files.isRegularFile(home.resolve("tttv2.jar"))) {
            throw new IllegalStateException(home + " holds no tttv2.jar: build the distribution first (mvn verify builds it)");
        }
        return home;
    }

    /** The host's executable jar. */
    public static Path launcherJar() {
        return home().resolve("tttv2.jar");
    }

    /** Every {@code *.jar} of {@code bundles/}, in name order, as the host installs them. */
    public static List<Path> bundles() {
        return jars(home().resolve("bundles"));
    }

    /** Every {@code *.jar} of {@code shell/}: the Gogo shell's bundles, which {@code tttv2 shell} installs. */
    public static List<Path> shellBundles() {
        return jars(home().resolve("shell"));
    }

    private static List<Path> jars(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new IllegalStateException(folder + " holds no bundle jars");
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }
}
