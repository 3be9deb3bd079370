package io.tttv2.integration.tokenizers.normalizer;

/** {@code Prepend}: puts {@code prepend} before any non-empty piece. */
public record Prepend(String prepend) implements Normalizer {
    @Override
    public String normalize(String text) {
        return text.isEmpty() ? text : prepend + text;
    }
}
