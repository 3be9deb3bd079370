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
        Path home = home();
        try {
            return new FelixHost(home, options).run(args);
        } catch (HostStartException e) {
            System.err.println("tttv2: " + e.getMessage());
            if (options.verbose() && e.getCause() != null) {
                e.getCause().printStackTrace();
            }
            return 1;
        }
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
