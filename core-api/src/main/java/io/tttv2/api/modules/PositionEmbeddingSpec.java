package io.tttv2.api.modules;

/**
 * Learned absolute position embedding, weight {@code weight} [maxPositions, hidden].
 *
 * @param maxPositions rows: the positions a model can address ({@code n_positions})
 * @param hidden       width
 */
public record PositionEmbeddingSpec(int maxPositions, int hidden) {

    public PositionEmbeddingSpec {
        if (maxPositions <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("position embedding needs positive sizes, found " + maxPositions
                    + " positions of width " + hidden);
        }
    }
}
