package io.tttv2.testing.reference;

import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.PrefillStep;
import java.util.function.UnaryOperator;

/**
 * One decoder layer wired from reference parts, by its residual pattern (the norms a pattern does not use
 * are null):
 *
 * <pre>
 * PRE_NORM           h = x + attn(input_layernorm(x));         y = h + mlp(post_attention_layernorm(h))
 * PRE_AND_POST_NORM  h = x + post_attention_layernorm(attn(input_layernorm(x)))
 *                    y = h + post_feedforward_layernorm(mlp(pre_feedforward_layernorm(h)))
 * POST_NORM          h = x + post_attention_layernorm(attn(x)); y = h + post_feedforward_layernorm(mlp(h))
 * PARALLEL           y = x + attn(input_layernorm(x)) + mlp(post_attention_layernorm(x))
 * </pre>
 */
public final class DecoderLayerReference {

    /** The reference parts, by HuggingFace's names (see {@link io.tttv2.api.modules.DecoderLayerParts}). */
    public record Parts(NormReference inputNorm, SelfAttentionReference attention, NormReference postAttentionNorm,
                        NormReference preFeedforwardNorm, NormReference postFeedforwardNorm, FeedForwardReference mlp) {
    }

    private final DecoderLayerSpec spec;
    private final Parts parts;

    public DecoderLayerReference(DecoderLayerSpec spec, Parts parts) {
        this.spec = spec;
        this.parts = parts;
        switch (spec.pattern()) {
            case PRE_NORM, PARALLEL -> require(parts.inputNorm(), "input_layernorm", parts.postAttentionNorm(),
                    "post_attention_layernorm");
            case PRE_AND_POST_NORM -> {
                require(parts.inputNorm(), "input_layernorm", parts.postAttentionNorm(), "post_attention_layernorm");
                require(parts.preFeedforwardNorm(), "pre_feedforward_layernorm", parts.postFeedforwardNorm(),
                        "post_feedforward_layernorm");
            }
            case POST_NORM -> require(parts.postAttentionNorm(), "post_attention_layernorm", parts.postFeedforwardNorm(),
                    "post_feedforward_layernorm");
        }
        if (parts.attention() == null || parts.mlp() == null) {
            throw new IllegalArgumentException("decoder-layer reference: needs an attention and an MLP reference");
        }
    }

    public DecoderLayerSpec spec() {
        return spec;
    }

    /** x [T, hidden] of one sequence; → [T, hidden]. */
    public double[] prefill(double[] x, int tokens, PrefillStep step) {
        return forward(x, tokens, normed -> parts.attention().prefill(normed, tokens, step));
    }

    /** x [B, hidden], one token per sequence; → [B, hidden]. */
    public double[] decode(double[] x, DecodeStep step) {
        return forward(x, step.batch(), normed -> parts.attention().decode(normed, step));
    }

    /** x [rows, hidden], the rows of a mixed step of several sequences; → [rows, hidden]. */
    public double[] step(double[] x, MixedStep step) {
        return forward(x, step.rows(), normed -> parts.attention().step(normed, step));
    }

    private double[] forward(double[] x, int rows, UnaryOperator<double[]> attention) {
        if (x.length != rows * spec.hidden()) {
            throw new IllegalArgumentException("decoder-layer reference: input of " + x.length + " elements, expected "
                    + rows + " x " + spec.hidden());
        }
        return switch (spec.pattern()) {
            case PRE_NORM -> {
                double[] h = add(x, attention.apply(norm(parts.inputNorm(), x, rows)));
                yield add(h, parts.mlp().apply(norm(parts.postAttentionNorm(), h, rows), rows));
            }
            case PRE_AND_POST_NORM -> {
                double[] attended = attention.apply(norm(parts.inputNorm(), x, rows));
                double[] h = add(x, norm(parts.postAttentionNorm(), attended, rows));
                double[] fed = parts.mlp().apply(norm(parts.preFeedforwardNorm(), h, rows), rows);
                yield add(h, norm(parts.postFeedforwardNorm(), fed, rows));
            }
            case POST_NORM -> {
                double[] h = add(x, norm(parts.postAttentionNorm(), attention.apply(x), rows));
                yield add(h, norm(parts.postFeedforwardNorm(), parts.mlp().apply(h, rows), rows));
            }
            case PARALLEL -> add(x, add(attention.apply(norm(parts.inputNorm(), x, rows)),
                    parts.mlp().apply(norm(parts.postAttentionNorm(), x, rows), rows)));
        };
    }

    private static double[] norm(NormReference norm, double[] x, int rows) {
        return norm.apply(x, rows);
    }

    private static double[] add(double[] a, double[] b) {
        double[] sum = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            sum[i] = a[i] + b[i];
        }
        return sum;
    }

    private static void require(NormReference first, String firstName, NormReference second, String secondName) {
        if (first == null || second == null) {
            throw new IllegalArgumentException("decoder-layer reference: the pattern needs " + firstName + " and "
                    + secondName + ", found " + (first == null ? firstName : secondName) + " missing");
        }
    }
}
