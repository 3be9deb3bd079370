package io.tttv2.api.modules;

/**
 * BERT's pooler: {@code tanh(dense(hidden[:, 0]))}, the first token's state through a dense layer. Weights
 * {@code dense.weight} [hidden, hidden], {@code dense.bias} [hidden].
 *
 * @param hidden model width
 */
public record PoolerSpec(int hidden) {

    public PoolerSpec {
        if (hidden <= 0) {
            throw new IllegalArgumentException("pooler needs hidden > 0, found " + hidden);
        }
    }
}
