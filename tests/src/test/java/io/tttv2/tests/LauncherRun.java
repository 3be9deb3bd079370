package io.tttv2.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of a launcher jar in its own JVM, as a user runs it: the running JDK (25), the JVM flags of the
 * root pom ({@code tttv2.jvm.args}: the Vector API module, native access, Unsafe warnings off), and the
 * arguments given. The JVM's notice that an incubator module is in use is not the launcher's output and
 * is dropped from stderr.
 *
 * @param exitCode the process's exit code
 * @param out      stdout, line by line
 * @param err      stderr, line by line, without the incubator notice
 */
public record LauncherRun(int exitCode, List<String> out, List<String> err) {

    private static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules";
    /** Generous: a run starts ~20 bundles in under a second; this only stops a hung launcher. */
    private static final long TIMEOUT_SECONDS = 120;

    /** Runs {@code java <flags> -jar jar args...} in {@code jar}'s folder and waits for it. */
    public static LauncherRun of(Path jar, String... args) throws IOException, InterruptedException {
        return run(jar, "", args);    // an empty stdin: a launcher never reads the test JVM's own stdin
    }

    /** As {@link #of}, with {@code input} (UTF-8) on the process's stdin, which then ends. */
    public static LauncherRun withInput(Path jar, String input, String... args) throws IOException, InterruptedException {
        return run(jar, input, args);
    }

    private static LauncherRun run(Path jar, String input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(Arrays.asList(args));

        Path out = Files.createTempFile("tttv2-launcher-", ".out");
        Path err = Files.createTempFile("tttv2-launcher-", ".err");
        Path in = input == null ? null : Files.writeString(Files.createTempFile("tttv2-launcher-", ".in"), input);
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(jar.getParent().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (in != null) {
                builder.redirectInput(in.toFile());
            }
            Process process = builder.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            List<String> errLines = Files.readAllLines(err, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.startsWith(INCUBATOR_NOTICE)).toList();
            return new LauncherRun(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8), errLines);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (in != null) {
                Files.deleteIfExists(in);
            }
        }
    }

    private static List<String> jvmFlags() {
        String flags = System.getProperty("tttv2.jvm.args");
        if (flags == null || flags.isBlank()) {
            throw new IllegalStateException("system property tttv2.jvm.args is not set: run the tests through Maven (./test)");
        }
        return List.of(flags.trim().split("\\s+"));
    }

    /** For assertion messages: everything the run printed. */
    public String transcript() {
        return "exit " + exitCode + "\n--- stdout\n" + String.join("\n", out) + "\n--- stderr\n" + String.join("\n", err);
    }
}
