package io.tttv2.api.modules;

import java.util.List;

/**
 * RoPE frequencies and their scaling, in HuggingFace's terms ({@code rope_parameters}, or the older
 * {@code rope_theta} + {@code rope_scaling}).
 *
 * @param type                 default, linear, dynamic, yarn, llama3 or longrope
 * @param theta                base of the frequencies ({@code rope_theta})
 * @param factor               scaling factor (1 for default)
 * @param lowFreqFactor        llama3
 * @param highFreqFactor       llama3
 * @param originalMaxPositions llama3, yarn, dynamic: the context the model was trained with
 * @param betaFast             yarn (default 32)
 * @param betaSlow             yarn (default 1)
 * @param attentionFactor      yarn: multiplies cos and sin; NaN for the default
 * @param mscale               yarn (DeepSeek): 0 when absent
 * @param mscaleAllDim         yarn (DeepSeek): 0 when absent
 * @param shortFactor          longrope (Phi-3): per rotated pair, divides the frequencies of positions below
 *                             originalMaxPositions; empty for other types
 * @param longFactor           longrope: the same for positions from originalMaxPositions on; empty otherwise
 */
public record RopeScaling(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions, double betaFast, double betaSlow, double attentionFactor,
                          double mscale, double mscaleAllDim, List<Double> shortFactor, List<Double> longFactor) {

    public RopeScaling {
        shortFactor = List.copyOf(shortFactor);
        longFactor = List.copyOf(longFactor);
    }

    /** Any type but longrope: no per-dimension factors. */
    public RopeScaling(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
                       int originalMaxPositions, double betaFast, double betaSlow, double attentionFactor,
                       double mscale, double mscaleAllDim) {
        this(type, theta, factor, lowFreqFactor, highFreqFactor, originalMaxPositions, betaFast, betaSlow,
                attentionFactor, mscale, mscaleAllDim, List.of(), List.of());
    }

    /** Unscaled RoPE with base {@code theta}. */
    public static RopeScaling unscaled(double theta) {
        return new RopeScaling("default", theta, 1, 0, 0, 0, 32, 1, Double.NaN, 0, 0);
    }
}
