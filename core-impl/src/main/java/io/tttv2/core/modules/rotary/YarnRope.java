package io.tttv2.core.modules.rotary;

import io.tttv2.api.modules.RopeScaling;

/**
 * YaRN ({@code rope_type: yarn}, HF's {@code _compute_yarn_parameters}): frequencies blended between
 * interpolated ({@code / factor}) and extrapolated (unscaled) by a linear ramp over the dimensions whose
 * rotation counts lie between {@code beta_slow} and {@code beta_fast} within the original context; cos and
 * sin multiplied by an attention factor. Python-side values in double, tensor values in float32, as HF.
 */
public record YarnRope(float[] frequencies, double attentionFactor) implements RopeFrequencies {

    /**
     * @param maxPositions HF's {@code max_position_embeddings}, used when the factor is absent (≤ 0 or NaN)
     * @param truncate     HF's {@code truncate} (default true): floor/ceil the correction range
     */
    public static YarnRope of(RopeScaling s, int dim, int maxPositions, boolean truncate) {
        int original = s.originalMaxPositions();
        if (original <= 0) {
            throw new IllegalArgumentException("yarn rope needs original_max_position_embeddings > 0, found " + original);
        }
        double factor = s.factor() > 0 ? s.factor() : (double) maxPositions / original;
        double attention;
        if (!Double.isNaN(s.attentionFactor())) {
            attention = s.attentionFactor();
        } else if (s.mscale() != 0 && s.mscaleAllDim() != 0) {
            attention = mscale(factor, s.mscale()) / mscale(factor, s.mscaleAllDim());
        } else {
            attention = mscale(factor, 1);
        }
        double betaFast = s.betaFast() != 0 ? s.betaFast() : 32;      // HF: `get("beta_fast") or 32`
        double betaSlow = s.betaSlow() != 0 ? s.betaSlow() : 1;

        float base = (float) s.theta();
        float f = (float) factor;
        double low = correctionDim(betaFast, dim, s.theta(), original);
        double high = correctionDim(betaSlow, dim, s.theta(), original);
        if (truncate) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, dim - 1);
        if (low == high) {
            high += 0.001;      // HF: prevent singularity
        }
        float lowF = (float) low;
        float span = (float) (high - low);

        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float posFreq = (float) Math.pow(base, (float) (2 * i) / (float) dim);
            float extrapolation = 1.0f / posFreq;
            float interpolation = 1.0f / (f * posFreq);
            float ramp = Math.min(Math.max(((float) i - lowF) / span, 0f), 1f);
            float extrapolationFactor = 1f - ramp;
            inv[i] = interpolation * (1f - extrapolationFactor) + extrapolation * extrapolationFactor;
        }
        return new YarnRope(inv, attention);
    }

    /** HF's {@code get_mscale}. */
    private static double mscale(double scale, double m) {
        return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
    }

    /** HF's {@code find_correction_dim}: the dimension that turns {@code rotations} times in the context. */
    private static double correctionDim(double rotations, int dim, double base, int context) {
        return (dim * Math.log(context / (rotations * 2 * Math.PI))) / (2 * Math.log(base));
    }

    @Override
    public float[] invFreq(int position) {
        return frequencies;
    }
}
