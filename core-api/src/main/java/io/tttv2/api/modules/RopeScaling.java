package io.tttv2.api.modules;

/**
 * RoPE frequencies and their scaling, in HuggingFace's terms ({@code rope_parameters}, or the older
 * {@code rope_theta} + {@code rope_scaling}).
 *
 * @param type                 default, linear, dynamic, yarn or llama3
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
 */
public record RopeScaling(String type, double theta, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions, double betaFast, double betaSlow, double attentionFactor,
                          double mscale, double mscaleAllDim) {

    /** Unscaled RoPE with base {@code theta}. */
    public static RopeScaling unscaled(double theta) {
        return new RopeScaling("default", theta, 1, 0, 0, 0, 32, 1, Double.NaN, 0, 0);
    }
}
