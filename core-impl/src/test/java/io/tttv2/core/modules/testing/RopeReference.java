package io.tttv2.core.modules.testing;

/**
 * HF's RoPE frequency formulas ({@code modeling_rope_utils.py}) evaluated in float64, as the references
 * the float32 tables are checked against.
 */
public final class RopeReference {

    private RopeReference() {
    }

    /** inv_freq[i] = 1 / base^(2i / dim). */
    public static double[] defaults(double base, int dim) {
        double[] inv = new double[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1 / Math.pow(base, 2.0 * i / dim);
        }
        return inv;
    }

    public static double[] linear(double base, int dim, double factor) {
        double[] inv = defaults(base, dim);
        for (int i = 0; i < inv.length; i++) {
            inv[i] /= factor;
        }
        return inv;
    }

    public static double[] llama3(double base, int dim, double factor, double low, double high, int original) {
        double[] inv = defaults(base, dim);
        double lowWavelen = original / low;
        double highWavelen = original / high;
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen < highWavelen) {
                continue;
            }
            if (wavelen > lowWavelen) {
                inv[i] /= factor;
            } else {
                double smooth = (original / wavelen - low) / (high - low);
                inv[i] = (1 - smooth) * inv[i] / factor + smooth * inv[i];
            }
        }
        return inv;
    }

    /** Dynamic NTK for a sequence of seqLen tokens (HF recomputes when seqLen exceeds the original). */
    public static double[] dynamic(double base, int dim, double factor, int original, int seqLen) {
        int len = Math.max(seqLen, original);
        double scaledBase = base * Math.pow(factor * len / original - (factor - 1), (double) dim / (dim - 2));
        return defaults(scaledBase, dim);
    }

    /** YaRN frequencies (truncated correction range). */
    public static double[] yarn(double base, int dim, double factor, int original, double betaFast, double betaSlow) {
        double low = Math.max(Math.floor(correctionDim(betaFast, dim, base, original)), 0);
        double high = Math.min(Math.ceil(correctionDim(betaSlow, dim, base, original)), dim - 1);
        if (low == high) {
            high += 0.001;
        }
        double[] inv = new double[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            double posFreq = Math.pow(base, 2.0 * i / dim);
            double ramp = Math.min(Math.max((i - low) / (high - low), 0), 1);
            double extrapolationFactor = 1 - ramp;
            inv[i] = (1 / (factor * posFreq)) * (1 - extrapolationFactor) + (1 / posFreq) * extrapolationFactor;
        }
        return inv;
    }

    /** YaRN's default attention factor, optionally DeepSeek's mscale ratio. */
    public static double yarnAttention(double factor, double mscale, double mscaleAllDim) {
        if (mscale != 0 && mscaleAllDim != 0) {
            return getMscale(factor, mscale) / getMscale(factor, mscaleAllDim);
        }
        return getMscale(factor, 1);
    }

    private static double getMscale(double scale, double m) {
        return scale <= 1 ? 1 : 0.1 * m * Math.log(scale) + 1;
    }

    private static double correctionDim(double rotations, int dim, double base, int context) {
        return dim * Math.log(context / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
    }
}
