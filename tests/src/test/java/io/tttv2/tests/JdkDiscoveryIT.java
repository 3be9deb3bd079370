package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./tttv2} finds a JDK ≥ 25 by itself; without one it says so in one line and exits 1, and it skips
 * an older JDK it finds (a fake JDK 17 whose {@code java} reports {@code java.specification.version = 17}, or
 * whose release file says {@code JAVA_VERSION="17.0.2"}).
 */
class JdkDiscoveryIT {

    @Test
    void withoutJdk25TheScriptSaysSoInOneLine(@TempDir Path dir) throws Exception {
        assertNoJdkFound(dir, fakeJdk(dir.resolve("jdk-17"), 17));
    }

    /**
     * A JDK's release file names its version without starting it: here it says 17 while the fake's {@code java}
     * would answer 25, so the script must go by the file and still find no JDK 25.
     */
    @Test
    void theReleaseFileIsReadRatherThanStartingTheJdk(@TempDir Path dir) throws Exception {
        Path jdk = fakeJdk(dir.resolve("jdk-17-release"), 25);
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"17.0.2\"\n");
        assertNoJdkFound(dir, jdk);
    }

    private static void assertNoJdkFound(Path dir, Path jdk) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", BuiltDistribution.root().resolve("tttv2").toString(), "--version")
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        builder.environment().put("JAVA_HOME", jdk.toString());
        builder.environment().put("TTTV2_JDK_DIRS", jdk + " " + dir.resolve("nothing-here"));
        Process run = builder.start();
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "./tttv2 did not finish");
        List<String> err = Files.readAllLines(dir.resolve("err"), StandardCharsets.UTF_8);
        assertEquals(1, run.exitValue(), String.join("\n", err));
        assertEquals(1, err.size(), "one line on stderr: " + err);
        assertTrue(err.get(0).startsWith("tttv2: no JDK 25 or newer found"), err.get(0));
        assertEquals(List.of(), Files.readAllLines(dir.resolve("out"), StandardCharsets.UTF_8));
    }

    /** A folder with bin/java and bin/javac scripts, java reporting {@code version} as its specification version. */
    private static Path fakeJdk(Path home, int version) throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        String java = "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n";
        for (String tool : List.of("java", "javac")) {
            Path file = bin.resolve(tool);
            Files.writeString(file, java);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return home;
    }
}
