package io.tttv2.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tttv2}: starts the embedded OSGi host over the distribution and hands it the command line.
 * Anything that stops the host from starting is one line on stderr and exit code 1 (a stack trace only
 * with {@code --verbose}).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args)));
    }

    static int run(List<String> args) {
        HostOptions options = HostOptions.scan(args);
        // a failure on another thread (a worker, a timer) is one line too; the command line reports its own
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            System.err.println("tttv2: " + describe(e) + " (in thread " + thread.getName() + ")");
            if (options.verbose()) {
                e.printStackTrace();
            }
        });
        try {
            Path home = home();
            return new FelixHost(home, options).run(args);
        } catch (HostStartException e) {
            System.err.println("tttv2: " + e.getMessage());
            if (options.verbose() && e.getCause() != null) {
                e.getCause().printStackTrace();
            }
            return 1;
        } catch (RuntimeException | Error e) {    // before the command line runs, or after it returned
            System.err.println("tttv2: " + describe(e));
            if (options.verbose()) {
                e.printStackTrace();
            }
            return 1;
        }
    }

    /** One line for a failure outside any command (the command line's own are worded by its bundle). */
    static String describe(Throwable e) {
        if (e instanceof OutOfMemoryError) {
            return "out of memory (heap limit " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MB); raise the heap, e.g. TTTV2_JAVA_OPTS=-Xmx4g ./tttv2 …";
        }
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().replaceAll("\\s*\\R\\s*", " ").strip();
        return "internal error: " + e.getClass().getSimpleName() + message + " (run with --verbose for the trace)";
    }

    /**
     * The distribution's home: {@code -Dtttv2.home}, else the folder holding this jar (the layout is
     * {@code HOME/tttv2.jar}, {@code HOME/bundles/}, {@code HOME/models/}).
     */
    static Path home() {
        String property = System.getProperty("tttv2.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isDirectory(jar) ? jar.toAbsolutePath() : jar.toAbsolutePath().getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("cannot locate the launcher jar", e);
        }
    }
}
