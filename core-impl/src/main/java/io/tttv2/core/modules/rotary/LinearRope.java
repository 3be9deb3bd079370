package io.tttv2.core.modules.rotary;

/**
 * Linear scaling ({@code rope_type: linear}, HF's {@code _compute_linear_scaling_rope_parameters}): every
 * frequency divided by {@code factor}, in float32.
 */
public record LinearRope(float[] frequencies) implements RopeFrequencies {

    public LinearRope(double theta, int dim, double factor) {
        this(scaled(theta, dim, factor));
    }

    private static float[] scaled(double theta, int dim, double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("rope_parameters.factor must be > 0 for linear rope, found " + factor);
        }
        float[] inv = RopeFrequencies.hfInvFreq(theta, dim);
        float f = (float) factor;
        for (int i = 0; i < inv.length; i++) {
            inv[i] = inv[i] / f;
        }
        return inv;
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
