package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance test of third-party bundles: {@code examples/third-party-bundle} is built by its own Maven
 * build against the API artifact, signed with a test key, trusted, installed with {@code bundles install},
 * selected with {@code --assembly} for {@code validate} on the llama fixture, which passes; {@code bundles
 * remove} takes it out and the core norm is chosen again.
 *
 * <p>The example's build runs offline: its local repository ({@code tttv2.example.repository}) holds the API
 * artifact and the parent pom, installed there by this module's build (tests/pom.xml, never into the user's
 * {@code ~/.m2}), and every other artifact comes from the user's local repository through a {@code file:}
 * mirror — Maven's offline mode lets {@code file:} through with {@code aether.offline.protocols=file}.
 */
class ThirdPartyBundleIT {

    private static final long BUILD_TIMEOUT_MINUTES = 10;
    private static final String CANDIDATE = "acme/norm/rms-fast";

    @TempDir
    Path dir;

    @Test
    void theExampleIsBuiltSignedInstalledSelectedValidatedAndRemoved() throws Exception {
        Path jar = buildExample();
        JarSigning key = JarSigning.newKey(dir, "acme", "Acme Signing");
        Path signed = key.sign(jar, dir.resolve(jar.getFileName()));
        Path home = dir.resolve("home");
        Path fixture = BuiltDistribution.root().resolve("testdata/fixtures/llama");
        Path assembly = Files.writeString(dir.resolve("acme-norm.json"), "{\"modules\": {\"norm\": {\"name\": \"" + CANDIDATE + "\"}}}");

        LauncherRun untrusted = run("bundles", "install", signed.toString(), "--home", home.toString());
        assertEquals(1, untrusted.exitCode(), untrusted.transcript());
        assertTrue(untrusted.err().get(0).contains("signed by CN=Acme Signing, a key the trust store"), untrusted.transcript());

        assertSucceeds(run("bundles", "trust", "add", key.certificate(dir).toString(), "--home", home.toString()));
        LauncherRun install = assertSucceeds(run("bundles", "install", signed.toString(), "--home", home.toString()));
        assertEquals("  candidate " + CANDIDATE + " 1.0.0 (norm, community)", install.out().get(1), install.transcript());
        LauncherRun list = assertSucceeds(run("bundles", "list", "--home", home.toString()));
        assertTrue(list.out().contains("com.acme.norm 1.0.0  com.acme.norm-1.0.0.jar  signed by CN=Acme Signing, trusted as"
                + " 'acme-signing'  active"), list.transcript());

        LauncherRun explain = assertSucceeds(run("--home", home.toString(), "modules", "--explain", "--model", fixture.toString(),
                "--assembly", assembly.toString()));
        assertTrue(explain.out().stream().anyMatch(l -> l.matches("  \\* " + CANDIDATE + " .*chosen: the candidate the assembly names")),
                explain.transcript());
        LauncherRun validate = assertSucceeds(run("--home", home.toString(), "validate", "--model", fixture.toString(),
                "--reference", fixture.resolve("reference.safetensors").toString(), "--assembly", assembly.toString()));
        assertTrue(validate.out().stream().anyMatch(l -> l.matches("all \\d+ checks passed")), validate.transcript());

        LauncherRun remove = assertSucceeds(run("bundles", "remove", "com.acme.norm", "--home", home.toString()));
        assertEquals("removed com.acme.norm 1.0.0 (" + home.resolve("bundles/com.acme.norm-1.0.0.jar") + ")", remove.out().get(0));
        LauncherRun back = assertSucceeds(run("--home", home.toString(), "modules", "--explain", "--model", fixture.toString()));
        assertTrue(back.out().stream().anyMatch(l -> l.matches("  \\* tttv2/norm/rms .*chosen.*")), back.transcript());
        assertTrue(back.out().stream().noneMatch(l -> l.contains(CANDIDATE)), back.transcript());
    }

    private static LauncherRun run(String... args) throws IOException, InterruptedException {
        return LauncherRun.of(BuiltDistribution.launcherJar(), args);
    }

    private static LauncherRun assertSucceeds(LauncherRun run) {
        assertEquals(0, run.exitCode(), run.transcript());
        return run;
    }

    /** Copies the example out of the source tree and runs {@code mvn -o package} on the copy; returns its jar. */
    private Path buildExample() throws IOException, InterruptedException {
        Path source = BuiltDistribution.root().resolve("examples/third-party-bundle");
        Path project = dir.resolve("third-party-bundle");
        copy(source, project);
        Path settings = Files.writeString(dir.resolve("settings.xml"), """
                <settings>
                  <mirrors>
                    <mirror><id>local-cache</id><mirrorOf>*</mirrorOf><url>%s</url></mirror>
                  </mirrors>
                </settings>
                """.formatted(Path.of(property("tttv2.m2.repository")).toUri()));
        List<String> command = new ArrayList<>(List.of("mvn", "-o", "-B", "-q", "-s", settings.toString(),
                "-Daether.offline.protocols=file", "-Dmaven.repo.local=" + property("tttv2.example.repository"),
                "-Dtttv2.version=" + property("tttv2.version"), "package"));
        Path log = dir.resolve("example-build.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process build = builder.start();
        if (!build.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            build.destroyForcibly().waitFor();
            throw new AssertionError("the example's build did not finish within " + BUILD_TIMEOUT_MINUTES + " minutes");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, build.exitValue(), String.join(" ", command) + " failed:\n" + output);
        Path jar = project.resolve("target/com.acme.norm-1.0.0.jar");
        assertTrue(Files.isRegularFile(jar), "the example's build wrote no " + jar + ":\n" + output);
        return jar;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set: run the tests through Maven (./test)");
        }
        return value;
    }

    /** The example's sources (no target/ of an earlier build in the source tree). */
    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path relative = from.relativize(p);
                if (relative.startsWith("target")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
