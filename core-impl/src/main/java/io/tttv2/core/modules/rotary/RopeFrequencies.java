package io.tttv2.core.modules.rotary;

import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.modules.RotarySpec;

/**
 * How one RoPE type turns a position into rotation frequencies: HuggingFace's {@code ROPE_INIT_FUNCTIONS}
 * ({@code modeling_rope_utils.py}), reproduced with its float32 rounding. One small type per rope type,
 * chosen once by {@link #of}.
 */
public sealed interface RopeFrequencies
        permits DefaultRope, LinearRope, DynamicNtkRope, YarnRope, Llama3Rope, LongRope {

    /** inv_freq [rotaryDim/2] that HF rotates a token at {@code position} with. */
    float[] invFreq(int position);

    /** HF's {@code attention_scaling}: multiplies cos and sin (1 except for yarn and longrope). */
    double attentionFactor();

    /** The frequencies of {@code spec}'s rope type; throws naming the type if it is not supported. */
    static RopeFrequencies of(RotarySpec spec) {
        RopeScaling s = spec.scaling();
        int dim = spec.rotaryDim();
        String type = s.type() == null ? "default" : s.type();
        return switch (type) {
            case "default" -> new DefaultRope(s.theta(), dim);
            case "linear" -> new LinearRope(s.theta(), dim, s.factor());
            case "dynamic" -> new DynamicNtkRope(s.theta(), dim, s.factor(),
                    s.originalMaxPositions() > 0 ? s.originalMaxPositions() : spec.maxPositions());
            case "yarn" -> YarnRope.of(s, dim, spec.maxPositions(), true);
            case "llama3" -> new Llama3Rope(s.theta(), dim, s.factor(), s.lowFreqFactor(), s.highFreqFactor(),
                    s.originalMaxPositions());
            case "longrope" -> new LongRope(s, dim);
            default -> throw new IllegalArgumentException("rope_type '" + type
                    + "' is not supported, expected one of default, linear, dynamic, yarn, llama3, longrope");
        };
    }

    /**
     * HF's base computation in float32: {@code 1.0 / (base ** (arange(0, dim, 2).float() / dim))}. The
     * exponent is a float32 division, the base is cast to float32, the power is rounded to float32 and the
     * reciprocal taken in float32.
     */
    static float[] hfInvFreq(double base, int dim) {
        float b = (float) base;
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) dim;
            float power = (float) Math.pow(b, exponent);
            inv[i] = 1.0f / power;
        }
        return inv;
    }
}
