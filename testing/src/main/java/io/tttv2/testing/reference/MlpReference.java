package io.tttv2.testing.reference;

import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.Weights;

/**
 * A feed-forward block (HF {@code LlamaMLP} and kin):
 * <pre>
 * gated: y = down_proj(act(gate_proj(x)) · up_proj(x))      SwiGLU, GeGLU
 * plain: y = down_proj(act(up_proj(x)))
 * </pre>
 */
public final class MlpReference implements FeedForwardReference {

    private final MlpSpec spec;
    private final float[] gate;         // [intermediate, hidden], or null when plain
    private final float[] up;           // [intermediate, hidden]
    private final float[] down;         // [hidden, intermediate]
    private final float[] gateBias;     // [intermediate], or null
    private final float[] upBias;       // [intermediate], or null
    private final float[] downBias;     // [hidden], or null

    public MlpReference(MlpSpec spec, Weights weights) {
        int h = spec.hidden();
        int i = spec.intermediate();
        this.spec = spec;
        this.gate = spec.gated() ? WeightValues.read(weights, "gate_proj.weight", "mlp", i, h) : null;
        this.up = WeightValues.read(weights, "up_proj.weight", "mlp", i, h);
        this.down = WeightValues.read(weights, "down_proj.weight", "mlp", h, i);
        this.gateBias = WeightValues.readIf(spec.gated() && spec.bias(), weights, "gate_proj.bias", "mlp", i);
        this.upBias = WeightValues.readIf(spec.bias(), weights, "up_proj.bias", "mlp", i);
        this.downBias = WeightValues.readIf(spec.bias(), weights, "down_proj.bias", "mlp", h);
    }

    public MlpSpec spec() {
        return spec;
    }

    /** x [rows, hidden] → y [rows, hidden]. */
    @Override
    public double[] apply(double[] x, int rows) {
        int h = spec.hidden();
        int i = spec.intermediate();
        if (x.length != rows * h) {
            throw new IllegalArgumentException("mlp reference: input of " + x.length + " elements, expected "
                    + rows + " x " + h);
        }
        double[] inner = Linear.apply(x, rows, up, upBias, i, h);                         // [rows, intermediate]
        double[] gated = spec.gated() ? Linear.apply(x, rows, gate, gateBias, i, h) : inner;
        for (int k = 0; k < inner.length; k++) {
            double activated = ActivationFunctions.apply(spec.activation(), gated[k]);
            inner[k] = spec.gated() ? activated * inner[k] : activated;
        }
        return Linear.apply(inner, rows, down, downBias, h, i);
    }
}
