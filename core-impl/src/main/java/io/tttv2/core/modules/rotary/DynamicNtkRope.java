package io.tttv2.core.modules.rotary;

/**
 * Dynamic NTK scaling ({@code rope_type: dynamic}, HF's {@code _compute_dynamic_ntk_parameters} driven by
 * {@code dynamic_rope_update}). Up to {@code originalMaxPositions} (HF's {@code max_position_embeddings})
 * the frequencies are the default ones; beyond, HF recomputes them for {@code seq_len = max(position) + 1}
 * with {@code base · ((factor · seq_len / original) − (factor − 1)) ^ (dim / (dim − 2))}.
 *
 * <p>A table row is fixed per position, so row p holds what HF computes when it decodes the token at p
 * (seq_len = p + 1), the way a generation reaches every position past the original length. (A single HF
 * forward over many positions past it rotates them all with its longest seq_len instead.)
 */
public final class DynamicNtkRope implements RopeFrequencies {

    private final double theta;
    private final int dim;
    private final double factor;
    private final int originalMaxPositions;
    private final float[] original;     // [dim/2] the unscaled frequencies

    public DynamicNtkRope(double theta, int dim, double factor, int originalMaxPositions) {
        if (!(factor > 0) || originalMaxPositions <= 0 || dim <= 2) {
            throw new IllegalArgumentException("dynamic rope needs factor > 0, max positions > 0 and rotary dim > 2,"
                    + " found factor " + factor + ", " + originalMaxPositions + " positions, dim " + dim);
        }
        this.theta = theta;
        this.dim = dim;
        this.factor = factor;
        this.originalMaxPositions = originalMaxPositions;
        this.original = RopeFrequencies.hfInvFreq(theta, dim);
    }

    @Override
    public float[] invFreq(int position) {
        int seqLen = position + 1;
        if (seqLen <= originalMaxPositions) {
            return original;
        }
        // python double arithmetic, as HF does before handing the base to torch
        double base = theta * Math.pow((factor * seqLen / originalMaxPositions) - (factor - 1),
                (double) dim / (dim - 2));
        return RopeFrequencies.hfInvFreq(base, dim);
    }

    @Override
    public double attentionFactor() {
        return 1.0;
    }
}
