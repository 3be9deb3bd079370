package io.tttv2.models.kit;

import io.tttv2.api.modules.CrossAttention;
import io.tttv2.api.modules.EncoderMemory;
import io.tttv2.api.runner.EncodedInput;
import io.tttv2.api.tensor.Tensor;

/**
 * One request's encoder output and every decoder layer's cross-attention keys and values. The memories belong to
 * the cross-attention modules that prepared them: after a hot-swap they are prepared again from the encoder's
 * output (kept for that), once, at the next step's boundary. The memory is the garbage collector's.
 */
final class EncodedRequest implements EncodedInput {

    private final Tensor states;                 // [S, hidden]
    private final EncoderMemory[] memories;      // one per decoder layer
    private final CrossAttention[] preparedBy;   // the module that prepared each

    EncodedRequest(Tensor states, int layers) {
        this.states = states;
        this.memories = new EncoderMemory[layers];
        this.preparedBy = new CrossAttention[layers];
    }

    @Override
    public Tensor lastHiddenState() {
        return states;
    }

    /** Layer {@code l}'s memory for {@code attention}, prepared by it now if another module prepared the one held. */
    EncoderMemory memory(int l, CrossAttention attention) {
        if (preparedBy[l] != attention) {
            memories[l] = attention.prepare(states, null);
            preparedBy[l] = attention;
        }
        return memories[l];
    }

    @Override
    public void close() {
        // GC-managed tensors: nothing to free early
    }
}
