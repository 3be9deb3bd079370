package io.tttv2.launcher;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The few options the host itself must know before the framework starts (the command bundle parses
 * and validates the whole command line, these included).
 *
 * @param verbose  {@code --verbose}: start-up figures, stack traces, info-level logging
 * @param logLevel SLF4J level for every bundle: trace, debug, info, warn (default) or error
 */
record HostOptions(boolean verbose, String logLevel) {

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    static HostOptions scan(List<String> args) {
        boolean verbose = false;
        String level = null;
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
            }
        }
        if (level == null || !LEVELS.contains(level)) {
            // an invalid level is reported by the command bundle's parser; the host just stays quiet
            level = verbose ? "info" : "warn";
        }
        return new HostOptions(verbose, level);
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
