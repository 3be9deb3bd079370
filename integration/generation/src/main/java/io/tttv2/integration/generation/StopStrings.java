package io.tttv2.integration.generation;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Watches streamed text for stop strings. Text is released only once it can no longer be the beginning of a
 * stop string: the longest end of the pending text that starts some stop string is held back until later text
 * completes or rules out the match. When a stop string appears, the text before it is released and nothing
 * after — the stop string itself is never part of the output.
 */
@ProviderType
public final class StopStrings {

    private final List<String> stops;
    private final StringBuilder pending = new StringBuilder();
    private boolean stopped;

    public StopStrings(List<String> stops) {
        for (String stop : stops) {
            if (stop.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
        this.stops = List.copyOf(stops);
    }

    /**
     * Adds the next piece of text; returns the text now final (possibly empty). After a stop string, returns
     * what preceded it and {@link #stopped()} is true; later pieces are ignored.
     */
    public String push(String piece) {
        if (stopped) {
            return "";
        }
        if (stops.isEmpty()) {
            return piece;
        }
        pending.append(piece);
        int at = earliestStop();
        if (at >= 0) {
            stopped = true;
            String before = pending.substring(0, at);
            pending.setLength(0);
            return before;
        }
        int release = pending.length() - heldBack();
        String out = pending.substring(0, release);
        pending.delete(0, release);
        return out;
    }

    /** True once a stop string has appeared. */
    public boolean stopped() {
        return stopped;
    }

    /** At the end of the stream: the held-back text, which no stop string completed. */
    public String flush() {
        String out = stopped ? "" : pending.toString();
        pending.setLength(0);
        return out;
    }

    /** Where the first stop string in the pending text starts, or -1. */
    private int earliestStop() {
        int earliest = -1;
        for (String stop : stops) {
            int at = pending.indexOf(stop);
            if (at >= 0 && (earliest < 0 || at < earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }

    /** The length of the longest end of the pending text that is a proper beginning of a stop string. */
    private int heldBack() {
        int held = 0;
        int length = pending.length();
        for (String stop : stops) {
            for (int n = Math.min(length, stop.length() - 1); n > held; n--) {
                if (endsWith(stop, n, length)) {
                    held = n;
                    break;
                }
            }
        }
        return held;
    }

    /** Whether the pending text ends with the first {@code n} characters of {@code stop}. */
    private boolean endsWith(String stop, int n, int length) {
        for (int i = 0; i < n; i++) {
            if (pending.charAt(length - n + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
