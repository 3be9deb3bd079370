package io.tttv2.launcher;

import io.tttv2.launcher.spi.HostCommandLine;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The host as a library: the distribution's bundles running in an embedded Felix inside the caller's JVM (a
 * Spark executor, a test). Only the JDK types of {@code io.tttv2.launcher.spi} cross between the caller and the
 * bundles, so the caller needs no bundle on its class path. User bundles are not installed. Close it to stop the
 * framework (models loaded by its bundles are released) and delete its cache folder.
 */
public final class EmbeddedHost implements AutoCloseable {

    private final Framework framework;
    private final Runnable stop;
    private boolean closed;

    EmbeddedHost(Framework framework, Runnable stop) {
        this.framework = framework;
        this.stop = stop;
    }

    /**
     * Starts the distribution in {@code home} (which holds {@code bundles/}).
     *
     * @throws HostStartException one line: the folder is not a distribution, or a bundle does not resolve or start
     */
    public static EmbeddedHost start(Path home) throws HostStartException {
        return new FelixHost(home.toAbsolutePath().normalize(), new HostOptions(false, "warn", null)).start();
    }

    /**
     * The service of {@code type} that a bundle offers, waiting up to {@code waitMillis} for it.
     *
     * @param hint what to check if it never comes, for the error line
     * @throws HostStartException if no bundle offers it in time
     */
    public <S> S service(Class<S> type, long waitMillis, String hint) throws HostStartException {
        ServiceTracker<S, S> tracker = new ServiceTracker<>(framework.getBundleContext(), type, null);
        tracker.open();
        try {
            S service = tracker.waitForService(waitMillis);
            if (service == null) {
                throw new HostStartException("no bundle offered " + type.getName() + " within " + waitMillis / 1000 + " s: " + hint);
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostStartException("interrupted while waiting for " + type.getName(), e);
        }
    }

    /**
     * Runs one {@code tttv2} command in this host, as the command line would, its standard output captured.
     *
     * @return the exit code and what the command printed
     */
    public synchronized CommandResult run(List<String> args) throws HostStartException {
        HostCommandLine commandLine = service(HostCommandLine.class, FelixHost.COMMAND_LINE_WAIT_MILLIS,
                "is the io.tttv2.launcher.commands bundle in the distribution?");
        PrintStream saved = System.out;
        var buffer = new java.io.ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, java.nio.charset.StandardCharsets.UTF_8)) {
            System.setOut(capture);
            int code = commandLine.run(args);
            capture.flush();
            return new CommandResult(code, buffer.toString(java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }

    /** A command's exit code and standard output. */
    public record CommandResult(int exitCode, String out) {
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stop.run();
        }
    }
}
