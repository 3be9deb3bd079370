package io.tttv2.integration.tokenizers.chat;

import java.util.Collection;
import java.util.Map;

/**
 * The sizes a rendering may build (README, "Limits"). Jinjava bounds its own output, string concatenation and
 * collection literals; everything that can grow a value in one call — Python string methods, filters with a
 * width or count, {@code tojson} — is checked here before it allocates, or right after for what cannot be
 * known before.
 */
final class TemplateLimits {
    /** The longest string, and the whole output: far beyond any prompt, small enough to stop a runaway loop. */
    static final int MAX_CHARS = 1_000_000;
    /** The most items in a list or map a rendering builds. */
    static final int MAX_ITEMS = 100_000;
    /** The deepest nesting {@code tojson} writes; a structure that contains itself would never end. */
    static final int MAX_DEPTH = 100;

    private TemplateLimits() {
    }

    /** Refuses a string of {@code chars} characters before it is built. */
    static void checkChars(String what, long chars) {
        if (chars > MAX_CHARS) {
            throw RenderGuard.exceeded(what + " would make a string of " + chars + " characters, more than the limit of "
                    + MAX_CHARS);
        }
    }

    /** Refuses a number that sizes what a call builds (a width, a count) before it is used. */
    static void checkSize(String what, long size) {
        if (size > MAX_CHARS) {
            throw RenderGuard.exceeded(what + " is " + size + ", more than the limit of " + MAX_CHARS);
        }
    }

    /** Refuses a value that came out larger than the limits. */
    static Object checkResult(String what, Object value) {
        if (value instanceof CharSequence s && s.length() > MAX_CHARS) {
            checkChars(what, s.length());
        } else if (value instanceof Collection<?> c && c.size() > MAX_ITEMS) {
            throw RenderGuard.exceeded(what + " made a list of " + c.size() + " items, more than the limit of " + MAX_ITEMS);
        } else if (value instanceof Map<?, ?> m && m.size() > MAX_ITEMS) {
            throw RenderGuard.exceeded(what + " made a map of " + m.size() + " entries, more than the limit of " + MAX_ITEMS);
        }
        return value;
    }

    /**
     * Refuses a value that holds more than {@link #MAX_ITEMS} items when written out. A list may hold the same
     * list twice, {@code [l, l]}: sixty such steps are a few objects in memory and 2^60 items as text, which
     * Jinjava's size limits (one list at a time) do not see, and Java's {@code toString} would never finish.
     * Visits at most {@link #MAX_ITEMS} items.
     */
    static void checkExpandedSize(String what, Object value) {
        if (!(value instanceof Collection<?>) && !(value instanceof Map<?, ?>)) {
            return;
        }
        java.util.ArrayDeque<Object> pending = new java.util.ArrayDeque<>();
        pending.push(value);
        long items = 0;          // the items inside: range(MAX_ITEMS) itself is allowed
        while (!pending.isEmpty()) {
            Object v = pending.pop();
            long children = v instanceof Collection<?> c ? c.size() : v instanceof Map<?, ?> m ? 2L * m.size() : 0;
            items += children;     // counted before they are visited, so no big list is walked in vain
            if (items > MAX_ITEMS) {
                throw RenderGuard.exceeded(what + ": the value holds more than " + MAX_ITEMS
                        + " items when written out (it repeats or contains itself)");
            }
            if (v instanceof Collection<?> c) {
                c.forEach(pending::push);
            } else if (v instanceof Map<?, ?> m) {
                m.forEach((k, x) -> {
                    pending.push(k);
                    pending.push(x);
                });
            }
        }
    }

    /** How long {@code s.replace(target, replacement)} would be, replacing at most {@code count} (< 0: all). */
    static long replacedLength(String s, String target, String replacement, long count) {
        long n;
        if (target.isEmpty()) {
            n = s.length() + 1L;     // Python inserts the replacement between every character and at both ends
        } else {
            n = 0;
            for (int at = s.indexOf(target); at >= 0; at = s.indexOf(target, at + target.length())) {
                n++;
            }
        }
        if (count >= 0) {
            n = Math.min(n, count);
        }
        return s.length() + n * ((long) replacement.length() - target.length());
    }
}
