package io.tttv2.integration.hf.config;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The rotary-embedding parameters of one attention layer type, normalised from either config style:
 * transformers 5's {@code rope_parameters} (one object, or one per layer type) and the older
 * {@code rope_theta} + {@code rope_scaling} ({@code type} or {@code rope_type}). Values are those of the file;
 * defaults that depend on the variant ({@code beta_fast = 32} for YaRN, …) are the rotary module's to apply,
 * as transformers does in each {@code _compute_*_parameters}. Which keys a variant requires was checked when
 * the config was read.
 *
 * @param ropeType                      the variant
 * @param theta                         {@code rope_theta}, the base of the inverse frequencies
 * @param partialRotaryFactor           fraction of {@code head_dim} that is rotated (1.0 unless stated)
 * @param factor                        scaling factor (linear, dynamic, yarn, llama3, longrope)
 * @param lowFreqFactor                 llama3
 * @param highFreqFactor                llama3
 * @param originalMaxPositionEmbeddings context length the model was pre-trained with (dynamic, yarn, longrope,
 *                                      llama3); from the RoPE parameters or, in older configs, the top level
 * @param betaFast                      yarn
 * @param betaSlow                      yarn
 * @param attentionFactor               yarn, longrope: scale applied to cos/sin
 * @param mscale                        yarn (DeepSeek)
 * @param mscaleAllDim                  yarn (DeepSeek)
 * @param truncate                      yarn: whether the correction range is truncated to integers
 * @param shortFactor                   longrope, per rotated dimension pair; empty otherwise
 * @param longFactor                    longrope, per rotated dimension pair; empty otherwise
 */
@ProviderType
public record RopeParameters(
        RopeType ropeType,
        double theta,
        double partialRotaryFactor,
        Optional<Double> factor,
        Optional<Double> lowFreqFactor,
        Optional<Double> highFreqFactor,
        Optional<Integer> originalMaxPositionEmbeddings,
        Optional<Double> betaFast,
        Optional<Double> betaSlow,
        Optional<Double> attentionFactor,
        Optional<Double> mscale,
        Optional<Double> mscaleAllDim,
        Optional<Boolean> truncate,
        List<Double> shortFactor,
        List<Double> longFactor) {

    /** transformers' default {@code rope_theta} when a config names none. */
    public static final double DEFAULT_THETA = 10_000.0;

    public RopeParameters {
        shortFactor = List.copyOf(shortFactor);
        longFactor = List.copyOf(longFactor);
    }

    /** Plain RoPE with base {@code theta}. */
    public static RopeParameters plain(double theta, double partialRotaryFactor) {
        return new RopeParameters(RopeType.DEFAULT, theta, partialRotaryFactor, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), List.of(), List.of());
    }

    /** Number of rotated dimensions for a head of {@code headDim}: {@code int(headDim × partial_rotary_factor)}, as transformers computes it. */
    public int rotaryDim(int headDim) {
        return (int) (headDim * partialRotaryFactor);
    }
}
