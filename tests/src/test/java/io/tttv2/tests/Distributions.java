package io.tttv2.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies of the built distribution that a test may change (add a bundle to) without touching the original. */
public final class Distributions {

    private Distributions() {
    }

    /** Copies the launcher jar, {@code bundles/} and {@code shell/} into {@code folder}; returns the copied jar. */
    public static Path copy(Path folder) throws IOException {
        Path bundles = Files.createDirectories(folder.resolve("bundles"));
        for (Path bundle : BuiltDistribution.bundles()) {
            Files.copy(bundle, bundles.resolve(bundle.getFileName()));
        }
        Path shell = Files.createDirectories(folder.resolve("shell"));
        for (Path bundle : BuiltDistribution.shellBundles()) {
            Files.copy(bundle, shell.resolve(bundle.getFileName()));
        }
        return Files.copy(BuiltDistribution.launcherJar(), folder.resolve("tttv2.jar"));
    }
}
