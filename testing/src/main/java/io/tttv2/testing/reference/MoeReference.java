package io.tttv2.testing.reference;

import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.Weights;

/**
 * A mixture-of-experts block computed densely, the plainest way to be sure of a sparse one: every expert runs
 * on every token and contributes with its routing weight (0 where the router did not pick it), the shared
 * expert (gated by {@code sigmoid(shared_expert_gate(x))} when the spec says so) on top:
 * <pre>
 * y = Σ_e route[t, e] · expert_e(x) + [sigmoid(x · gᵀ) ·] shared(x)
 * </pre>
 * Expert e's weights are {@code experts.e.{gate,up,down}_proj}.
 */
public final class MoeReference implements FeedForwardReference {

    private final MoeSpec spec;
    private final RouterReference router;
    private final MlpReference[] experts;
    private final FeedForwardReference shared;      // or null
    private final float[] sharedGate;               // [hidden], or null

    /** @param shared the shared expert's reference, or null when the spec has none */
    public MoeReference(MoeSpec spec, Weights weights, RouterReference router, FeedForwardReference shared) {
        if ((spec.shared() == null) != (shared == null)) {
            throw new IllegalArgumentException("moe reference: the spec " + (spec.shared() == null ? "has no" : "has a")
                    + " shared expert, the reference " + (shared == null ? "none" : "one"));
        }
        this.spec = spec;
        this.router = router;
        this.experts = new MlpReference[spec.experts()];
        for (int e = 0; e < experts.length; e++) {
            experts[e] = new MlpReference(spec.expert(), weights.scoped("experts." + e));
        }
        this.shared = shared;
        this.sharedGate = WeightValues.readIf(spec.sharedGate(), weights, "shared_expert_gate.weight", "moe", 1,
                spec.hidden());
    }

    public MoeSpec spec() {
        return spec;
    }

    @Override
    public double[] apply(double[] x, int rows) {
        int h = spec.hidden();
        int e = spec.experts();
        double[] route = router.dense(x, rows);     // [rows, experts]
        double[] y = new double[rows * h];
        for (int i = 0; i < e; i++) {
            double[] out = experts[i].apply(x, rows);
            for (int t = 0; t < rows; t++) {
                double w = route[t * e + i];
                for (int j = 0; j < h; j++) {
                    y[t * h + j] += w * out[t * h + j];
                }
            }
        }
        if (shared != null) {
            double[] out = shared.apply(x, rows);
            double[] gate = sharedGate == null ? null : Linear.apply(x, rows, sharedGate, null, 1, h);
            for (int t = 0; t < rows; t++) {
                double g = gate == null ? 1 : 1 / (1 + Math.exp(-gate[t]));
                for (int j = 0; j < h; j++) {
                    y[t * h + j] += g * out[t * h + j];
                }
            }
        }
        return y;
    }
}
