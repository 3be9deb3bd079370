package io.tttv2.api.modules;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Causal self-attention over the paged KV cache whose positions come from an additive score bias instead of
 * rotary (T5's decoder {@code SelfAttention}: the bias of the stack's {@link RelativePositionBias}, computed
 * relative to each query's position). Projections, cache write, attention with the bias, output projection.
 * Weights as {@link AttentionSpec}'s: {@code q_proj, k_proj, v_proj, o_proj}.
 */
@ConsumerType
public interface BiasedAttention extends Module {

    /** The KV cache layer this attention reads and writes. */
    int layer();

    /**
     * x, out [T, hidden] for one sequence at positions {@code step.start() ..}; bias [heads, T, start+T]
     * ({@code RelativePositionBias.compute(start, T, start + T, bias)}).
     */
    void prefill(Tensor x, PrefillStep step, Tensor bias, Tensor out);

    /**
     * x, out [B, hidden], one token per sequence; biases[b] [heads, 1, positions[b]+1] for row b
     * ({@code RelativePositionBias.compute(p, 1, p + 1, biases[b])}).
     */
    void decode(Tensor x, DecodeStep step, Tensor[] biases, Tensor out);
}
