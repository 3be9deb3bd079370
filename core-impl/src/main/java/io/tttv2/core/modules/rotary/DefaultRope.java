package io.tttv2.core.modules.rotary;

/** Unscaled RoPE ({@code rope_type: default}): HF's {@code _compute_default_rope_parameters}. */
public record DefaultRope(float[] frequencies) implements RopeFrequencies {

    public DefaultRope(double theta, int dim) {
        this(RopeFrequencies.hfInvFreq(theta, dim));
    }

    @Override
    public float[] invFreq(int position) {
        return frequencies;
    }

    @Override
    public double attentionFactor() {
        return 1.0;
    }
}
