package io.tttv2.cli;

import io.tttv2.launcher.spi.HostCommandLine;
import org.osgi.framework.BundleContext;

/**
 * With {@code --verbose}: when, counted from the process's start, the host was up, the model loaded and the
 * first token streamed — the figures a fresh process is compared on with llama.cpp (process start → first
 * token). One line on stderr after the figures line ({@code generate --verbose}, {@code bench --verbose}).
 */
public final class StartTimes {

    private final long hostMillis;     // host start → all bundles active, as the host measured it; -1 if unknown
    private long loadedMillis = -1;
    private long firstTokenMillis = -1;

    StartTimes(long hostMillis) {
        this.hostMillis = hostMillis;
    }

    /** A recorder if {@code --verbose} is on, else null (nothing is measured). */
    public static StartTimes ifVerbose(BundleContext context) {
        if (!Boolean.parseBoolean(context.getProperty(HostCommandLine.VERBOSE_PROPERTY))) {
            return null;
        }
        String host = System.getProperty(HostCommandLine.STARTUP_MILLIS_PROPERTY);
        return new StartTimes(host == null ? -1 : Long.parseLong(host));
    }

    public void modelLoaded() {
        loadedMillis = ProcessClock.millisSinceStart();
    }

    public void tokenStreamed() {
        if (firstTokenMillis < 0) {
            firstTokenMillis = ProcessClock.millisSinceStart();
        }
    }

    /** {@code tttv2: host started in 1480 ms; since process start: model loaded 2630 ms, first token 3410 ms} */
    public String line() {
        return "tttv2: host started in " + (hostMillis < 0 ? "?" : Long.toString(hostMillis)) + " ms; since process start:"
                + " model loaded " + loadedMillis + " ms, first token " + firstTokenMillis + " ms";
    }
}
