package io.tttv2.integration.hf.safetensors;

/** Keeps error messages to one line of bounded length, whatever a corrupt file puts into them. */
final class OneLine {
    /** Longest quoted value kept in a message; corrupt headers can hold megabytes in one string. */
    private static final int MAX_QUOTED = 120;

    private OneLine() {
    }

    static String of(String message) {
        return message.replaceAll("[\\r\\n\\t]+", " ");
    }

    /** A value from the file, shortened and with control characters escaped, for quoting in a message. */
    static String quote(String value) {
        StringBuilder b = new StringBuilder();
        int limit = Math.min(value.length(), MAX_QUOTED);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        if (value.length() > limit) {
            b.append("…(").append(value.length()).append(" chars)");
        }
        return b.toString();
    }
}
