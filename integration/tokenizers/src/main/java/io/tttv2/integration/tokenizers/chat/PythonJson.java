package io.tttv2.integration.tokenizers.chat;

import java.util.Map;

/**
 * Python's {@code json.dumps(value, ensure_ascii=False, indent=…)} — the {@code tojson} filter of
 * {@code transformers}' template environment — whose spacing differs from Jackson's compact output.
 */
final class PythonJson {
    private PythonJson() {
    }

    static String dumps(Object value, Integer indent) {
        TemplateLimits.checkExpandedSize("tojson", value);
        StringBuilder out = new StringBuilder();
        write(out, value, indent, 0);
        return out.toString();
    }

    /**
     * Writes {@code value}, held to {@link TemplateLimits}: a structure that shares or contains itself is small
     * in memory but huge (or endless) as text, so the length is checked as it is written and the depth bounded.
     */
    private static void write(StringBuilder out, Object value, Integer indent, int depth) {
        TemplateLimits.checkChars("tojson", out.length());
        if (depth > TemplateLimits.MAX_DEPTH) {
            throw RenderGuard.exceeded("tojson: the value nests deeper than " + TemplateLimits.MAX_DEPTH
                    + " levels (does it contain itself?)");
        }
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Number n) {
            out.append(n instanceof Double || n instanceof Float ? pythonFloat(n.doubleValue()) : n.toString());
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : indent == null ? ", " : ",");
                first = false;
                newline(out, indent, depth + 1);
                string(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue(), indent, depth + 1);
            }
            newline(out, indent, depth);
            out.append('}');
        } else if (value instanceof Iterable<?> list) {
            if (!list.iterator().hasNext()) {
                out.append("[]");
                return;
            }
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                out.append(first ? "" : indent == null ? ", " : ",");
                first = false;
                newline(out, indent, depth + 1);
                write(out, item, indent, depth + 1);
            }
            newline(out, indent, depth);
            out.append(']');
        } else {
            String text = value.toString();
            TemplateLimits.checkChars("tojson", out.length() + (long) text.length());
            string(out, text);
        }
    }

    private static void newline(StringBuilder out, Integer indent, int depth) {
        if (indent != null) {
            long spaces = Math.max(0L, (long) indent * depth);   // Python: a negative indent is no indent
            TemplateLimits.checkChars("tojson", out.length() + 1 + spaces);
            out.append('\n').append(" ".repeat((int) spaces));
        }
    }

    private static String pythonFloat(double d) {
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16) {
            return (long) d + ".0";
        }
        return Double.toString(d);
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
