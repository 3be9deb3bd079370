package io.tttv2.core.modules.rotary;

/**
 * Llama 3.1 scaling ({@code rope_type: llama3}, HF's {@code _compute_llama3_parameters}): long wavelengths
 * divided by {@code factor}, short ones kept, the band between interpolated smoothly. Every step in float32
 * as HF computes it (python scalars cast to float32 against the float32 tensors).
 */
public record Llama3Rope(float[] frequencies) implements RopeFrequencies {

    public Llama3Rope(double theta, int dim, double factor, double lowFreqFactor, double highFreqFactor,
                      int originalMaxPositions) {
        this(scaled(theta, dim, factor, lowFreqFactor, highFreqFactor, originalMaxPositions));
    }

    private static float[] scaled(double theta, int dim, double factor, double low, double high, int original) {
        if (!(factor > 0) || !(low > 0) || !(high > low) || original <= 0) {
            throw new IllegalArgumentException("llama3 rope needs factor > 0, 0 < low_freq_factor < high_freq_factor"
                    + " and original_max_position_embeddings > 0, found factor " + factor + ", low " + low
                    + ", high " + high + ", original " + original);
        }
        float[] inv = RopeFrequencies.hfInvFreq(theta, dim);
        float lowFreqWavelen = (float) (original / low);      // python floats, compared as float32
        float highFreqWavelen = (float) (original / high);
        float twoPi = (float) (2 * Math.PI);
        float f = (float) factor;
        float oldContext = (float) original;
        float lowF = (float) low;
        float band = (float) (high - low);
        for (int i = 0; i < inv.length; i++) {
            float wavelen = twoPi / inv[i];
            // wavelen > low_freq_wavelen: divide by factor; else keep
            float llama = wavelen > lowFreqWavelen ? inv[i] / f : inv[i];
            boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
            if (medium) {
                float smooth = (oldContext / wavelen - lowF) / band;
                float smoothed = (1f - smooth) * llama / f + smooth * llama;
                llama = smoothed;
            }
            inv[i] = llama;
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
