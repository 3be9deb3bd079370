package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Self-attention of one encoder layer over a padded batch: projections, attention in which every query sees
 * every real key (the earlier ones only when causal) plus an optional additive bias, output projection.
 */
@ConsumerType
public interface EncoderAttention extends Module {

    /**
     * x, out [B, T, hidden] (out may be x); mask: the real tokens of the batch (B × T); bias [heads, T, T]
     * added to every sequence's scores (T5's relative positions), or null.
     */
    void forward(Tensor x, PaddingMask mask, Tensor bias, Tensor out);
}
