package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A decoder layer's attention over its request's encoder output: {@link #prepare} projects the encoder's
 * states to keys and values once per request; prefill and decode attend to them (no causality, no positions).
 */
@ConsumerType
public interface CrossAttention extends Module {

    /**
     * The keys and values of one request: encoderStates [S, encoderHidden] (the encoder's final output for
     * that request); keep: S flags, true for real tokens, or null when none is padding.
     */
    EncoderMemory prepare(Tensor encoderStates, boolean[] keep);

    /** x, out [T, hidden] of one sequence, against its request's memory; out may be x. */
    void prefill(Tensor x, EncoderMemory memory, Tensor out);

    /** x, out [B, hidden], row b against {@code memories[b]}; out may be x. */
    void decode(Tensor x, EncoderMemory[] memories, Tensor out);
}
