package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as users run it: {@code java -jar tttv2.jar ...} on the built distribution, and on copies
 * of it broken in the ways a user's installation can be. Every start-up failure is exit code 1 and one
 * line on stderr naming what is wrong; bad usage is exit code 2 and one line.
 */
class LauncherIT {

    @TempDir
    Path copy;

    @Test
    void versionPrintsTheLibraryVersion() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "--version");
        assertEquals(0, run.exitCode(), run.transcript());
        assertFalse(run.out().isEmpty(), run.transcript());
        assertEquals("tttv2 " + bundleVersion(System.getProperty("tttv2.version")), run.out().get(0), run.transcript());
        assertEquals(List.of(), run.err(), run.transcript());
    }

    @Test
    void anUnknownCommandIsOneLineAndExitCodeTwo() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "nosuchcommand");
        assertEquals(2, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).contains("nosuchcommand"), run.transcript());
    }

    @Test
    void modulesRunsOnTheDistribution() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "modules");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(List.of(), run.err(), run.transcript());
    }

    @Test
    void modulesListsACandidateDeclaredByAnAddedBundle() throws Exception {
        Path jar = copyDistribution();
        ExampleBundles.declaringCandidate("acme.mlp.fast", "acme/mlp/fast", "1.0.0").writeTo(copy.resolve("bundles"), "acme-mlp-fast.jar");
        LauncherRun run = LauncherRun.of(jar, "modules");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(line -> line.startsWith("acme/mlp/fast ") && line.contains("acme.mlp.fast/1.0.0")),
                run.transcript());
    }

    @Test
    void aBundleThatDoesNotResolveIsOneLineNamingItsFileAndTheMissingRequirement() throws Exception {
        Path jar = copyDistribution();
        ExampleBundles.importingCoreImpl("acme.model.forbidden").writeTo(copy.resolve("bundles"), "acme-model-forbidden.jar");
        LauncherRun run = LauncherRun.of(jar, "modules");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        String line = run.err().get(0);
        assertTrue(line.contains("acme-model-forbidden.jar"), run.transcript());
        assertTrue(line.contains("missing requirement"), run.transcript());
        assertTrue(line.contains(ExampleBundles.CORE_IMPL_PACKAGE), run.transcript());
    }

    @Test
    void aCorruptJarIsOneLineNamingIt() throws Exception {
        Path jar = copyDistribution();
        byte[] noise = new byte[4096];
        new Random(20250101L).nextBytes(noise);
        Files.write(copy.resolve("bundles").resolve("x.jar"), noise);
        LauncherRun run = LauncherRun.of(jar, "modules");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).contains("x.jar"), run.transcript());
    }

    @Test
    void aDistributionWithoutItsBundlesFolderIsOneLine() throws Exception {
        Path jar = Files.copy(BuiltDistribution.launcherJar(), copy.resolve("tttv2.jar"));
        LauncherRun run = LauncherRun.of(jar, "modules");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).contains("bundles"), run.transcript());
    }

    /** tttv2.jar and bundles/ of the built distribution, copied into this test's folder; returns the jar. */
    private Path copyDistribution() throws IOException {
        Path bundles = Files.createDirectory(copy.resolve("bundles"));
        for (Path bundle : BuiltDistribution.bundles()) {
            Files.copy(bundle, bundles.resolve(bundle.getFileName()));
        }
        return Files.copy(BuiltDistribution.launcherJar(), copy.resolve("tttv2.jar"));
    }

    /** The bundle version bnd derives from a Maven version: 0.1.0-SNAPSHOT becomes 0.1.0.SNAPSHOT. */
    private static String bundleVersion(String mavenVersion) {
        if (mavenVersion == null) {
            throw new IllegalStateException("system property tttv2.version is not set: run the tests through Maven (./test)");
        }
        return mavenVersion.replaceFirst("-", ".");
    }
}
