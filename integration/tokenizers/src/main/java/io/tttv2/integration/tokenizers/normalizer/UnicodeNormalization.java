package io.tttv2.integration.tokenizers.normalizer;

/** {@code NFC}, {@code NFD}, {@code NFKC}, {@code NFKD}. */
public record UnicodeNormalization(java.text.Normalizer.Form form) implements Normalizer {
    @Override
    public String normalize(String text) {
        return java.text.Normalizer.normalize(text, form);
    }
}
