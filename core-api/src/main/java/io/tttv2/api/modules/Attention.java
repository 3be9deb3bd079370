package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/** Self-attention of one layer: projections, q/k norm, rotary, cache write, attention, output projection. */
@ConsumerType
public interface Attention extends Module {

    /** The KV cache layer this attention reads and writes. */
    int layer();

    /** x, out [T, hidden] for one sequence. */
    void prefill(Tensor x, PrefillStep step, Tensor out);

    /** x, out [B, hidden], one token per sequence. */
    void decode(Tensor x, DecodeStep step, Tensor out);
}
