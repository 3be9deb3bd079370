package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** Hidden states to vocabulary logits. */
@ConsumerType
public interface LmHead extends Module {

    /** x [T, hidden]; out [T, vocab]. */
    void prefill(Tensor x, Tensor out);

    /** x [B, hidden]; out [B, vocab]. */
    void decode(Tensor x, Tensor out);
}
