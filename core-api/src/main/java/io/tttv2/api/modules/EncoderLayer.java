package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** One encoder layer: self-attention and feed-forward block around the residual stream. */
@ConsumerType
public interface EncoderLayer extends Module {

    /** x [B, T, hidden], updated in place; mask: the real tokens; bias [heads, T, T] for the attention, or null. */
    void forward(Tensor x, PaddingMask mask, Tensor bias);
}
