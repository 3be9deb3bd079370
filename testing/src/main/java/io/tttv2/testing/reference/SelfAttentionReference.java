package io.tttv2.testing.reference;

import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.PrefillStep;
import java.util.Arrays;

/**
 * A self-attention reference, what a decoder layer's {@code self_attn} is: standard attention or multi-head latent
 * attention. Earlier positions are read from the step's cache, where the implementation wrote them.
 */
public interface SelfAttentionReference {

    /** x [T, hidden] of one sequence at positions {@code step.start() ..}; → [T, hidden]. */
    double[] prefill(double[] x, int tokens, PrefillStep step);

    /** x [B, hidden], one token per sequence, row b at {@code step.positions()[b]}; → [B, hidden]. */
    double[] decode(double[] x, DecodeStep step);

    /**
     * x [rows, hidden], the rows of a mixed step ({@link MixedStep}); → [rows, hidden]. Each sequence's run of
     * rows is a prefill from the run's first position: its earlier positions are in the cache, its own computed.
     */
    default double[] step(double[] x, MixedStep step) {
        int hidden = x.length / Math.max(1, step.rows());
        double[] out = new double[x.length];
        for (int r = 0; r < step.rows(); ) {
            int end = step.runEnd(r);
            double[] run = prefill(Arrays.copyOfRange(x, r * hidden, end * hidden), end - r,
                    new PrefillStep(step.cache(), step.tables()[r], step.positions()[r]));
            System.arraycopy(run, 0, out, r * hidden, run.length);
            r = end;
        }
        return out;
    }
}
