package io.tttv2.api.runner;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One request's encoded input in an encoder–decoder: the encoder's output and what the decoder's
 * cross-attention derives from it (every layer's keys and values, computed once and kept for every decode
 * step). Closing it frees that memory.
 */
@ProviderType
public interface EncodedInput extends AutoCloseable {

    /** [S, hidden] the encoder's last hidden state (after its final norm). */
    Tensor lastHiddenState();

    @Override
    void close();
}
