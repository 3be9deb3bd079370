package io.tttv2.integration.tokenizers.normalizer;

/** Rewrites one piece of text (HF {@code Normalizer}); applied to each piece between added tokens. */
@FunctionalInterface
public interface Normalizer {
    String normalize(String text);
}
