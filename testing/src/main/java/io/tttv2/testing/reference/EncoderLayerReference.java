package io.tttv2.testing.reference;

import io.tttv2.api.modules.EncoderLayerSpec;

/**
 * One encoder layer wired from reference parts:
 *
 * <pre>
 * NORM_AFTER_RESIDUAL (BERT)  h = norm1(x + attn(x));        y = norm2(h + mlp(h))
 * PRE_NORM (T5)               h = x + attn(norm1(x));        y = h + mlp(norm2(h))
 * </pre>
 */
public final class EncoderLayerReference {

    /** The reference parts (see {@link io.tttv2.api.modules.EncoderLayerParts}). */
    public record Parts(EncoderAttentionReference attention, NormReference attentionNorm, MlpReference mlp,
                        NormReference mlpNorm) {
    }

    private final EncoderLayerSpec spec;
    private final Parts parts;

    public EncoderLayerReference(EncoderLayerSpec spec, Parts parts) {
        if (parts.attention() == null || parts.attentionNorm() == null || parts.mlp() == null || parts.mlpNorm() == null) {
            throw new IllegalArgumentException("encoder-layer reference: needs an attention, an MLP and both norms");
        }
        this.spec = spec;
        this.parts = parts;
    }

    public EncoderLayerSpec spec() {
        return spec;
    }

    /** x [B, T, hidden]; keep B·T flags; bias [heads, T, T] or null; → [B, T, hidden]. */
    public double[] forward(double[] x, int batch, int tokens, boolean[] keep, double[] bias) {
        int rows = batch * tokens;
        if (x.length != rows * spec.hidden()) {
            throw new IllegalArgumentException("encoder-layer reference: input of " + x.length + " elements, expected "
                    + batch + " x " + tokens + " x " + spec.hidden());
        }
        return switch (spec.pattern()) {
            case NORM_AFTER_RESIDUAL -> {
                double[] h = parts.attentionNorm().apply(add(x, parts.attention().forward(x, batch, tokens, keep, bias)), rows);
                yield parts.mlpNorm().apply(add(h, parts.mlp().apply(h, rows)), rows);
            }
            case PRE_NORM -> {
                double[] normed = parts.attentionNorm().apply(x, rows);
                double[] h = add(x, parts.attention().forward(normed, batch, tokens, keep, bias));
                yield add(h, parts.mlp().apply(parts.mlpNorm().apply(h, rows), rows));
            }
        };
    }

    private static double[] add(double[] a, double[] b) {
        double[] sum = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }
}
