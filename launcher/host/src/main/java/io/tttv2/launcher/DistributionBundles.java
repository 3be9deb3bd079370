package io.tttv2.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The jars a distribution hosts: every {@code *.jar} of {@code HOME/bundles}, in name order. */
final class DistributionBundles {

    private DistributionBundles() {
    }

    static List<Path> list(Path home) throws HostStartException {
        Path folder = home.resolve("bundles");
        if (!Files.isDirectory(folder)) {
            throw new HostStartException("no bundles folder at " + folder
                    + ": the distribution is incomplete (rebuild it: ./tttv2 --rebuild)");
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
            if (jars.isEmpty()) {
                throw new HostStartException("no bundles in " + folder + ": the distribution is incomplete (rebuild it: ./tttv2 --rebuild)");
            }
            return jars;
        } catch (IOException e) {
            throw new HostStartException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }
}
