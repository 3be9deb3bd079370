package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** Pools a sequence into one vector (BERT's {@code pooler_output}). */
@ConsumerType
public interface Pooler extends Module {

    /** hidden [B, T, H] (the encoder's last states); out [B, H]. */
    void forward(Tensor hidden, Tensor out);
}
