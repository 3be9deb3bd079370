package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** A feed-forward block. */
@ConsumerType
public interface Mlp extends Module {

    /** x, out [T, hidden]. */
    void prefill(Tensor x, Tensor out);

    /** x, out [B, hidden]. */
    void decode(Tensor x, Tensor out);
}
