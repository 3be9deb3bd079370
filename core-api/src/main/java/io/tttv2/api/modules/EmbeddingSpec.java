package io.tttv2.api.modules;

/**
 * Token embedding, weight {@code weight} [vocab, hidden].
 *
 * @param vocab  rows
 * @param hidden width
 * @param scale  multiplies the gathered rows: 1, or sqrt(hidden) for Gemma
 */
public record EmbeddingSpec(int vocab, int hidden, float scale) {
}
