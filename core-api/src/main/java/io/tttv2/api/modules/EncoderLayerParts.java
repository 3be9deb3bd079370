package io.tttv2.api.modules;

/**
 * The modules an encoder layer is built from (each from its own factory).
 *
 * @param attention     the self-attention
 * @param attentionNorm BERT: after the attention's residual sum ({@code attention.output.LayerNorm}); T5: before
 *                      the attention ({@code layer.0.layer_norm})
 * @param mlp           the feed-forward block (BERT: plain GELU with biases; T5: gated-gelu {@code wi_0, wi_1, wo})
 * @param mlpNorm       BERT: after the feed-forward residual sum ({@code output.LayerNorm}); T5: before it
 */
public record EncoderLayerParts(EncoderAttention attention, Norm attentionNorm, Mlp mlp, Norm mlpNorm) {

    public EncoderLayerParts {
        if (attention == null || attentionNorm == null || mlp == null || mlpNorm == null) {
            throw new IllegalArgumentException("encoder layer needs an attention, an MLP and both norms");
        }
    }
}
