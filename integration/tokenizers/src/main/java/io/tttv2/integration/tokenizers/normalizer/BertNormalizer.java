package io.tttv2.integration.tokenizers.normalizer;

import io.tttv2.integration.tokenizers.text.UnicodeChars;

/**
 * {@code BertNormalizer}: drops control characters and maps whitespace to spaces ({@code clean_text}), pads CJK
 * ideographs with spaces, strips accents (NFD then drop Mn; when {@code strip_accents} is null it follows
 * {@code lowercase}), and lowercases — in that order.
 */
public record BertNormalizer(boolean cleanText, boolean handleChineseChars, boolean stripAccents, boolean lowercase)
        implements Normalizer {

    @Override
    public String normalize(String text) {
        String s = text;
        if (cleanText) {
            StringBuilder out = new StringBuilder(s.length());
            s.codePoints().forEach(cp -> {
                boolean bertWhitespace = cp == '\t' || cp == '\n' || cp == '\r' || UnicodeChars.isWhitespace(cp);
                boolean control = !bertWhitespace && UnicodeChars.isOther(cp);
                if (cp == 0 || cp == 0xFFFD || control) {
                    return;
                }
                out.appendCodePoint(bertWhitespace ? ' ' : cp);
            });
            s = out.toString();
        }
        if (handleChineseChars) {
            StringBuilder out = new StringBuilder(s.length());
            s.codePoints().forEach(cp -> {
                if (UnicodeChars.isChineseChar(cp)) {
                    out.append(' ').appendCodePoint(cp).append(' ');
                } else {
                    out.appendCodePoint(cp);
                }
            });
            s = out.toString();
        }
        if (stripAccents) {
            StringBuilder out = new StringBuilder(s.length());
            java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD).codePoints()
                    .filter(cp -> !UnicodeChars.isNonSpacingMark(cp)).forEach(out::appendCodePoint);
            s = out.toString();
        }
        if (lowercase) {
            s = new Lowercase().normalize(s);
        }
        return s;
    }
}
