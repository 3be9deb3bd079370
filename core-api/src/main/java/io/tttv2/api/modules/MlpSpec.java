package io.tttv2.api.modules;

import io.tttv2.api.ops.Activation;

/**
 * A feed-forward block. Gated ({@code down(act(gate(x)) · up(x))}, SwiGLU/GeGLU) with weights
 * {@code gate_proj, up_proj, down_proj}; plain ({@code down(act(up(x)))}) with {@code up_proj, down_proj}.
 *
 * @param hidden       model width
 * @param intermediate inner width
 * @param activation   the activation
 * @param gated        gated or plain
 * @param bias         projections have biases
 */
public record MlpSpec(int hidden, int intermediate, Activation activation, boolean gated, boolean bias) {

    public MlpSpec {
        if (hidden <= 0 || intermediate <= 0) {
            throw new IllegalArgumentException("MLP needs positive widths, found " + hidden + " and " + intermediate);
        }
    }
}
