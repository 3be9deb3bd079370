package io.tttv2.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tttv2 serve --port 0 ...} in its own JVM, as a user starts it: waits for its "Serving ... on
 * http://host:port" line and reads the port from it. {@link #close()} stops it as Ctrl-C or SIGTERM does.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("Serving .* on http://([^:]+):(\\d+) .*");

    private final Process process;
    private final Path err;
    final String baseUrl;
    final int port;

    private ServerProcess(Process process, Path err, String host, int port) {
        this.process = process;
        this.err = err;
        this.port = port;
        this.baseUrl = "http://" + host + ":" + port;
    }

    static ServerProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("tttv2.jvm.args").trim().split("\\s+")));
        command.add("-jar");
        command.add(BuiltDistribution.launcherJar().toString());
        command.add("serve");
        command.add("--port");
        command.add("0");
        command.addAll(Arrays.asList(args));
        Path err = Files.createTempFile("tttv2-serve-", ".err");
        Process process = new ProcessBuilder(command).directory(BuiltDistribution.home().toFile())
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null) {
            throw new AssertionError("serve ended before listening: " + Files.readString(err));
        }
        Matcher m = SERVING.matcher(line);
        if (!m.matches()) {
            process.destroyForcibly();
            throw new AssertionError("serve printed '" + line + "', expected 'Serving ... on http://HOST:PORT (...)'");
        }
        Thread.ofVirtual().start(() -> {       // keep draining stdout so the server never blocks on it
            try {
                while (out.readLine() != null) {
                    // nothing else is expected
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        return new ServerProcess(process, err, m.group(1), Integer.parseInt(m.group(2)));
    }

    /** Sends SIGTERM and waits for the exit; returns the exit code. */
    int stop(long seconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("serve did not stop within " + seconds + " s of SIGTERM");
        }
        return process.exitValue();
    }

    String stderr() throws IOException {
        return Files.readString(err);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            stop(30);
        }
        Files.deleteIfExists(err);
    }
}
