package io.tttv2.api.modules;

/**
 * How an encoder layer wires its attention and feed-forward block to the residual stream.
 *
 * @param hidden  model width
 * @param pattern where the norms sit
 */
public record EncoderLayerSpec(int hidden, EncoderResidual pattern) {

    /** The two encoder layouts HF's encoders use. */
    public enum EncoderResidual {
        /**
         * BERT: the norm after the residual sum (HF's {@code BertSelfOutput}, {@code BertOutput}):
         * {@code x = norm1(x + attention(x)); x = norm2(x + mlp(x))}.
         */
        NORM_AFTER_RESIDUAL,
        /** T5: {@code x = x + attention(norm1(x)); x = x + mlp(norm2(x))}. */
        PRE_NORM
    }

    public EncoderLayerSpec {
        if (hidden <= 0 || pattern == null) {
            throw new IllegalArgumentException("encoder layer needs hidden > 0 and a pattern, found " + hidden
                    + ", " + pattern);
        }
    }
}
