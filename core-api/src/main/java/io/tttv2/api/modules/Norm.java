package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** A normalisation over the last dimension; {@code out} may be {@code x}. */
@ConsumerType
public interface Norm extends Module {

    /** x, out [T, dim]. */
    void prefill(Tensor x, Tensor out);

    /** x, out [B, dim]. */
    void decode(Tensor x, Tensor out);
}
