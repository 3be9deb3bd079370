package io.tttv2.testing.report;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * A small streaming JSON writer (the testing bundle imports no JSON library): objects, arrays, strings
 * escaped per RFC 8259, numbers, booleans; NaN and infinities, which JSON cannot hold, become null.
 * Indents two spaces per level.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder();
    private final Deque<Boolean> first = new ArrayDeque<>();    // per open container: nothing written yet
    private boolean afterName;                                   // a member's name was written, its value is next

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    /** Starts a member of the enclosing object; follow with a value or a container. */
    JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(": ");
        afterName = true;
        return this;
    }

    JsonWriter value(String v) {
        if (v == null) {
            return raw("null");
        }
        valueStart();
        quote(v);
        return this;
    }

    JsonWriter value(double v) {
        return raw(Double.isFinite(v) ? number(v) : "null");
    }

    JsonWriter value(long v) {
        return raw(Long.toString(v));
    }

    JsonWriter value(boolean v) {
        return raw(Boolean.toString(v));
    }

    JsonWriter strings(List<String> values) {
        beginArray();
        for (String v : values) {
            value(v);
        }
        return endArray();
    }

    JsonWriter longs(List<? extends Number> values) {
        beginArray();
        for (Number v : values) {
            value(v.longValue());
        }
        return endArray();
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private JsonWriter open(char bracket) {
        valueStart();
        out.append(bracket);
        first.push(Boolean.TRUE);
        return this;
    }

    private JsonWriter close(char bracket) {
        boolean empty = first.pop();
        if (!empty) {
            newline();
        }
        out.append(bracket);
        return this;
    }

    private JsonWriter raw(String text) {
        valueStart();
        out.append(text);
        return this;
    }

    /** Before a value: after a name, nothing; in an array, a separator and a new line. */
    private void valueStart() {
        if (afterName) {
            afterName = false;
        } else if (!first.isEmpty()) {
            separate();
        }
    }

    private void separate() {
        if (!first.peek()) {
            out.append(',');
        }
        first.pop();
        first.push(Boolean.FALSE);
        newline();
    }

    private void newline() {
        out.append('\n').append("  ".repeat(first.size()));
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
