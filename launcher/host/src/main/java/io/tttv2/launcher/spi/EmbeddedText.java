package io.tttv2.launcher.spi;

/**
 * One row's embedding.
 *
 * @param vector [hidden] the pooled (and, if asked, unit-length) vector; null on error
 * @param tokens tokens the text encoded to (after truncation)
 * @param error  null, or one line saying why this row has no vector
 */
public record EmbeddedText(float[] vector, int tokens, String error) {
}
