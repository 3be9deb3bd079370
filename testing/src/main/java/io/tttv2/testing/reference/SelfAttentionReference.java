package io.tttv2.testing.reference;

import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.PrefillStep;

/**
 * A self-attention reference, what a decoder layer's {@code self_attn} is: standard attention or multi-head latent
 * attention. Earlier positions are read from the step's cache, where the implementation wrote them.
 */
public interface SelfAttentionReference {

    /** x [T, hidden] of one sequence at positions {@code step.start() ..}; → [T, hidden]. */
    double[] prefill(double[] x, int tokens, PrefillStep step);

    /** x [B, hidden], one token per sequence, row b at {@code step.positions()[b]}; → [B, hidden]. */
    double[] decode(double[] x, DecodeStep step);
}
