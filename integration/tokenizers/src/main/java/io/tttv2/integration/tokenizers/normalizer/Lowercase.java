package io.tttv2.integration.tokenizers.normalizer;

import io.tttv2.integration.tokenizers.text.UnicodeChars;

/** {@code Lowercase}: Rust's per-character lowercase (no final-sigma rule, unlike String.toLowerCase). */
public record Lowercase() implements Normalizer {
    @Override
    public String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> UnicodeChars.appendLowercase(out, cp));
        return out.toString();
    }
}
