package io.tttv2.api.modules;

/**
 * A normalisation over the last dimension.
 *
 * @param dim          elements normalised together (hidden, or head dim for per-head q/k norms)
 * @param kind         RMS (Llama) or LAYER (mean-centred, GPT-2/BERT)
 * @param eps          added to the variance
 * @param weightOffset 0, or 1 for Gemma's {@code (1 + w)} scale
 * @param bias         LayerNorm with a bias weight
 */
public record NormSpec(int dim, NormKind kind, float eps, float weightOffset, boolean bias) {

    public enum NormKind { RMS, LAYER }

    public NormSpec {
        if (dim <= 0 || !(eps >= 0)) {
            throw new IllegalArgumentException("norm needs dim > 0 and eps >= 0, found dim " + dim + ", eps " + eps);
        }
    }

    /** Llama's RMSNorm. */
    public static NormSpec rms(int dim, float eps) {
        return new NormSpec(dim, NormKind.RMS, eps, 0f, false);
    }
}
