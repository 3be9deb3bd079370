package io.tttv2.integration.tokenizers.normalizer;

import io.tttv2.integration.tokenizers.text.UnicodeChars;

/** {@code StripAccents}: removes combining marks (Mn, Mc, Me); usually after NFD. */
public record StripAccents() implements Normalizer {
    @Override
    public String normalize(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(cp -> !UnicodeChars.isCombiningMark(cp)).forEach(out::appendCodePoint);
        return out.toString();
    }
}
