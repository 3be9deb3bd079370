package io.tttv2.core.modules.rotary;

import io.tttv2.api.modules.RopeScaling;
import java.util.List;

/**
 * LongRoPE ({@code rope_type: longrope}, Phi-3; HF's {@code _compute_longrope_parameters} driven by
 * {@code longrope_frequency_update}): {@code inv_freq = 1 / (ext · theta^(2i/dim))} with a per-pair factor
 * {@code ext} — {@code short_factor} while HF's seq_len ({@code max(position) + 1}) is at most
 * {@code original_max_position_embeddings}, {@code long_factor} beyond. Every step in float32 as HF computes it
 * (the factors are a float32 tensor). The attention factor is {@code attention_factor} when given, else
 * {@code sqrt(1 + ln(factor) / ln(original))} when {@code factor > 1}, else 1; the caller passes
 * {@code factor = max_position_embeddings / original_max_position_embeddings}, as HF derives it for Phi-3.
 *
 * <p>As for {@link DynamicNtkRope}, a table row is fixed per position: rows below the original length hold
 * the short frequencies and rows from it on the long ones, which is what HF uses when it decodes the token
 * at that position. (A single HF forward reaching past the original length rotates all its tokens with the
 * long factors instead.)
 */
public final class LongRope implements RopeFrequencies {

    private final int originalMaxPositions;
    private final float[] shortFrequencies;     // [dim/2]
    private final float[] longFrequencies;      // [dim/2]
    private final double attentionFactor;

    public LongRope(RopeScaling s, int dim) {
        int original = s.originalMaxPositions();
        if (original <= 0) {
            throw new IllegalArgumentException("longrope needs original_max_position_embeddings > 0, found " + original);
        }
        this.originalMaxPositions = original;
        this.shortFrequencies = scaled(s.theta(), dim, s.shortFactor(), "short_factor");
        this.longFrequencies = scaled(s.theta(), dim, s.longFactor(), "long_factor");
        if (!Double.isNaN(s.attentionFactor())) {
            this.attentionFactor = s.attentionFactor();
        } else if (s.factor() > 1) {
            this.attentionFactor = Math.sqrt(1 + Math.log(s.factor()) / Math.log(original));
        } else {
            this.attentionFactor = 1.0;
        }
    }

    /** 1 / (ext · base^(2i/dim)) in float32: the power as {@link RopeFrequencies#hfInvFreq}, ext rounded to float32. */
    private static float[] scaled(double theta, int dim, List<Double> factors, String name) {
        if (factors.size() != dim / 2) {
            throw new IllegalArgumentException("longrope " + name + " has " + factors.size()
                    + " entries, expected rotary dim / 2 = " + dim / 2);
        }
        float base = (float) theta;
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float ext = factors.get(i).floatValue();
            if (!(ext > 0)) {
                throw new IllegalArgumentException("longrope " + name + "[" + i + "] must be > 0, found "
                        + factors.get(i));
            }
            float power = (float) Math.pow(base, (float) (2 * i) / (float) dim);
            inv[i] = 1.0f / (ext * power);      // float32 product, then float32 reciprocal
        }
        return inv;
    }

    @Override
    public float[] invFreq(int position) {
        return position + 1 > originalMaxPositions ? longFrequencies : shortFrequencies;
    }

    @Override
    public double attentionFactor() {
        return attentionFactor;
    }
}
