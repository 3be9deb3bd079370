package io.tttv2.api.runner;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Sees the intermediate results of a prefill, for validation and bring-up. The tensors are the
 * runner's workspaces: copy what you keep.
 */
@ConsumerType
public interface ForwardObserver {

    /**
     * Hidden states [T, hidden]: index 0 is the embedding output, index i the output of layer i-1, the
     * last one after the final norm (as HF's {@code hidden_states}).
     */
    default void hiddenState(int index, Tensor hidden) {
    }

    /** True to have {@link #logits} called with every token's logits, not only the last one's. */
    default boolean wantsAllLogits() {
        return false;
    }

    /** Logits [T, vocab] of every token of the request. */
    default void logits(Tensor logits) {
    }
}
