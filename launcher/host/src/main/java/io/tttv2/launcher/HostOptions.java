package io.tttv2.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The few options the host itself must know before the framework starts (the command bundle parses
 * and validates the whole command line, these included).
 *
 * @param verbose  {@code --verbose}: start-up figures, stack traces, info-level logging
 * @param logLevel SLF4J level for every bundle: trace, debug, info, warn (default) or error
 * @param userHome {@code --home DIR}: the user folder (user bundles, trust store); default {@code ~/.tttv2}
 */
record HostOptions(boolean verbose, String logLevel, Path userHome) {

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    static HostOptions scan(List<String> args) {
        boolean verbose = false;
        String level = null;
        String home = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                break;
            }
            if (arg.equals("--verbose") || arg.equals("-v")) {
                verbose = true;
            } else if (arg.equals("--log-level") && i + 1 < args.size()) {
                level = args.get(i + 1).toLowerCase(Locale.ROOT);
            } else if (arg.startsWith("--log-level=")) {
                level = arg.substring("--log-level=".length()).toLowerCase(Locale.ROOT);
            } else if (arg.equals("--home") && i + 1 < args.size()) {
                home = args.get(i + 1);
            } else if (arg.startsWith("--home=")) {
                home = arg.substring("--home=".length());
            }
        }
        if (level == null || !LEVELS.contains(level)) {
            // an invalid level is reported by the command bundle's parser; the host just stays quiet
            level = verbose ? "info" : "warn";
        }
        Path userHome = home == null || home.isBlank()
                ? Path.of(System.getProperty("user.home"), ".tttv2") : Path.of(home);
        return new HostOptions(verbose, level, userHome.toAbsolutePath().normalize());
    }

    /** Felix's own log level: 0 (silent) unless the user asked to see more. */
    int felixLogLevel() {
        return switch (logLevel) {
            case "trace", "debug" -> 4;
            case "info" -> 2;
            default -> 0;
        };
    }
}
