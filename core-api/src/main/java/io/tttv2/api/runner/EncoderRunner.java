package io.tttv2.api.runner;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A loaded encoder (BERT and its relatives): a padded batch of token sequences in, one hidden state per token
 * out. Padding never changes what a real token sees: each sequence attends only to its own unmasked tokens.
 * Not thread-safe: one call at a time. Modules are rebound at the start of a call, as {@link ModelRunner}'s are.
 */
@ConsumerType
public interface EncoderRunner extends Runner {

    /** Whether the model has a pooler ({@link EncoderOutput#pooled()} is not null). */
    boolean hasPooler();

    /**
     * Encodes every sequence of the batch.
     *
     * @param hiddenStates whether to return every layer's hidden state as well (for validation)
     * @throws IllegalArgumentException if a sequence is longer than {@code info().maxSequenceLength()} or a
     *                                  token or token type is out of range
     */
    EncoderOutput encode(EncoderBatch batch, boolean hiddenStates);
}
