package io.tttv2.testing.reference;

import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.RotarySpec;
import java.util.List;

/**
 * HuggingFace's {@code ROPE_INIT_FUNCTIONS} ({@code modeling_rope_utils.py}), computed in double from the
 * spec: the inverse frequency of each rotated pair and the attention factor cos and sin are scaled by.
 * HF holds {@code inv_freq} in a float32 buffer (cast to the model's dtype with the weights); callers round
 * with {@link #asStored}.
 */
final class RopeInverseFrequencies {

    private RopeInverseFrequencies() {
    }

    /**
     * inv_freq [rotaryDim/2] for a forward whose longest sequence is {@code seqLen} tokens (only the dynamic
     * and longrope types depend on it).
     */
    static double[] of(RotarySpec spec, int seqLen) {
        RopeScaling s = spec.scaling();
        int dim = spec.rotaryDim();
        String type = s.type() == null ? "default" : s.type();
        return switch (type) {
            case "default" -> unscaled(s.theta(), dim);
            case "linear" -> divided(unscaled(s.theta(), dim), s.factor());
            case "dynamic" -> dynamic(s, dim, seqLen, spec.maxPositions());
            case "yarn" -> yarn(s, dim, spec.maxPositions());
            case "llama3" -> llama3(s, dim);
            case "longrope" -> longrope(s, dim, seqLen);
            default -> throw new IllegalArgumentException("rotary reference: rope type '" + type
                    + "' has no reference, expected one of default, linear, dynamic, yarn, llama3, longrope");
        };
    }

    /** HF's {@code attention_scaling}: 1, except for yarn and longrope. */
    static double attentionFactor(RotarySpec spec) {
        RopeScaling s = spec.scaling();
        if ("longrope".equals(s.type())) {
            return longropeAttentionFactor(s);
        }
        if (!"yarn".equals(s.type())) {
            return 1.0;
        }
        if (!Double.isNaN(s.attentionFactor())) {
            return s.attentionFactor();
        }
        double factor = yarnFactor(s, spec.maxPositions());
        if (s.mscale() != 0 && s.mscaleAllDim() != 0) {
            return mscale(factor, s.mscale()) / mscale(factor, s.mscaleAllDim());
        }
        return mscale(factor, 1);
    }

    /** inv_freq[i] = 1 / theta^(2i / dim). */
    static double[] unscaled(double theta, int dim) {
        double[] inv = new double[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / dim);
        }
        return inv;
    }

    private static double[] divided(double[] inv, double factor) {
        double[] out = new double[inv.length];
        for (int i = 0; i < inv.length; i++) {
            out[i] = inv[i] / factor;
        }
        return out;
    }

    /**
     * Dynamic NTK: beyond the original context, the base grows to
     * {@code theta · ((factor · seqLen / original) − (factor − 1)) ^ (dim / (dim − 2))}.
     */
    private static double[] dynamic(RopeScaling s, int dim, int seqLen, int maxPositions) {
        int original = s.originalMaxPositions() > 0 ? s.originalMaxPositions() : maxPositions;
        if (seqLen <= original) {
            return unscaled(s.theta(), dim);
        }
        double base = s.theta() * Math.pow(s.factor() * seqLen / original - (s.factor() - 1), (double) dim / (dim - 2));
        return unscaled(base, dim);
    }

    /**
     * Llama 3.1: wavelengths longer than {@code original / low_freq_factor} are divided by the factor, those
     * shorter than {@code original / high_freq_factor} kept, the band between interpolated smoothly.
     */
    private static double[] llama3(RopeScaling s, int dim) {
        double[] inv = unscaled(s.theta(), dim);
        double original = s.originalMaxPositions();
        double lowFreqWavelen = original / s.lowFreqFactor();
        double highFreqWavelen = original / s.highFreqFactor();
        for (int i = 0; i < inv.length; i++) {
            double wavelen = 2 * Math.PI / inv[i];
            if (wavelen > lowFreqWavelen) {
                inv[i] = inv[i] / s.factor();
            } else if (wavelen >= highFreqWavelen) {
                double smooth = (original / wavelen - s.lowFreqFactor()) / (s.highFreqFactor() - s.lowFreqFactor());
                inv[i] = (1 - smooth) * inv[i] / s.factor() + smooth * inv[i];
            }
        }
        return inv;
    }

    /**
     * YaRN: each frequency blended between interpolated ({@code / factor}) and extrapolated (unscaled) by a
     * linear ramp over the pairs whose rotations in the original context lie between beta_slow and beta_fast.
     */
    private static double[] yarn(RopeScaling s, int dim, int maxPositions) {
        double factor = yarnFactor(s, maxPositions);
        int original = s.originalMaxPositions();
        double betaFast = s.betaFast() != 0 ? s.betaFast() : 32;
        double betaSlow = s.betaSlow() != 0 ? s.betaSlow() : 1;
        double low = Math.max(Math.floor(correctionDim(betaFast, dim, s.theta(), original)), 0);
        double high = Math.min(Math.ceil(correctionDim(betaSlow, dim, s.theta(), original)), dim - 1);
        if (low == high) {
            high += 0.001;      // as HF: no division by zero
        }
        double[] inv = new double[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            double extrapolated = 1.0 / Math.pow(s.theta(), (2.0 * i) / dim);
            double interpolated = extrapolated / factor;
            double ramp = Math.min(Math.max((i - low) / (high - low), 0), 1);
            double extrapolationWeight = 1 - ramp;
            inv[i] = interpolated * (1 - extrapolationWeight) + extrapolated * extrapolationWeight;
        }
        return inv;
    }

    /**
     * LongRoPE (Phi-3): {@code inv_freq[i] = 1 / (ext[i] · theta^(2i / dim))}, ext the short factors while the
     * forward's seq_len is at most the original context, the long ones beyond (HF's
     * {@code longrope_frequency_update}).
     */
    private static double[] longrope(RopeScaling s, int dim, int seqLen) {
        int original = longropeOriginal(s);
        requireLength(s.shortFactor().size(), "short_factor", dim);
        requireLength(s.longFactor().size(), "long_factor", dim);
        List<Double> ext = seqLen > original ? s.longFactor() : s.shortFactor();
        double[] inv = new double[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1.0 / (ext.get(i) * Math.pow(s.theta(), (2.0 * i) / dim));
        }
        return inv;
    }

    /**
     * attention_factor when given; else sqrt(1 + ln(factor) / ln(original)) for factor > 1, else 1 — factor
     * being max_position_embeddings / original_max_position_embeddings, which the caller puts in the scaling.
     */
    private static double longropeAttentionFactor(RopeScaling s) {
        if (!Double.isNaN(s.attentionFactor())) {
            return s.attentionFactor();
        }
        return s.factor() > 1 ? Math.sqrt(1 + Math.log(s.factor()) / Math.log(longropeOriginal(s))) : 1.0;
    }

    private static int longropeOriginal(RopeScaling s) {
        if (s.originalMaxPositions() <= 0) {
            throw new IllegalArgumentException("rotary reference: longrope needs original_max_position_embeddings > 0,"
                    + " found " + s.originalMaxPositions());
        }
        return s.originalMaxPositions();
    }

    private static void requireLength(int length, String name, int dim) {
        if (length != dim / 2) {
            throw new IllegalArgumentException("rotary reference: longrope " + name + " has " + length
                    + " entries, expected rotary dim / 2 = " + dim / 2);
        }
    }

    private static double yarnFactor(RopeScaling s, int maxPositions) {
        if (s.originalMaxPositions() <= 0) {
            throw new IllegalArgumentException("rotary reference: yarn needs original_max_position_embeddings > 0, found "
                    + s.originalMaxPositions());
        }
        return s.factor() > 0 ? s.factor() : (double) maxPositions / s.originalMaxPositions();
    }

    /** The pair index that turns {@code rotations} times within {@code context} positions. */
    private static double correctionDim(double rotations, int dim, double base, int context) {
        return dim * Math.log(context / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
    }

    private static double mscale(double scale, double m) {
        return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
    }

    /** What HF's buffer holds: float32, then the model's dtype (round to nearest even). */
    static float asStored(double invFreq, io.tttv2.api.tensor.DType dtype) {
        float f32 = (float) invFreq;
        return switch (dtype) {
            case F32 -> f32;
            case F16 -> Float.float16ToFloat(Float.floatToFloat16(f32));
            case BF16 -> bfloat16(f32);
            default -> throw new IllegalArgumentException("rotary reference: frequencies in " + dtype
                    + ", expected F32, BF16 or F16");
        };
    }

    /** Rounds to the nearest bfloat16 (ties to even), as torch's cast does, and widens back. */
    private static float bfloat16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int lowerHalf = bits & 0xFFFF;
        int upper = bits >>> 16;
        if (lowerHalf > 0x8000 || (lowerHalf == 0x8000 && (upper & 1) == 1)) {
            upper++;
        }
        return Float.intBitsToFloat(upper << 16);
    }
}
