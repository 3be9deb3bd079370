package io.tttv2.integration.tokenizers.normalizer;

import io.tttv2.integration.tokenizers.text.UnicodeChars;

/** {@code Strip}: removes leading and/or trailing whitespace (Unicode White_Space). */
public record Strip(boolean left, boolean right) implements Normalizer {
    @Override
    public String normalize(String text) {
        int start = 0;
        int end = text.length();
        if (left) {
            while (start < end && UnicodeChars.isWhitespace(text.codePointAt(start))) {
                start += Character.charCount(text.codePointAt(start));
            }
        }
        if (right) {
            while (end > start && UnicodeChars.isWhitespace(text.codePointBefore(end))) {
                end -= Character.charCount(text.codePointBefore(end));
            }
        }
        return text.substring(start, end);
    }
}
