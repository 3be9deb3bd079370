package io.tttv2.testing.reference;

import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.Weights;

/** The LM head: {@code logits = x · Wᵀ}, then {@code cap · tanh(logits / cap)} when soft-capped (Gemma 2). */
public final class LmHeadReference {

    private final LmHeadSpec spec;
    private final float[] weight;       // [vocab, hidden]

    public LmHeadReference(LmHeadSpec spec, Weights weights) {
        this.spec = spec;
        this.weight = WeightValues.read(weights, "weight", "lm-head", spec.vocab(), spec.hidden());
    }

    public LmHeadSpec spec() {
        return spec;
    }

    /** x [rows, hidden] → logits [rows, vocab]. */
    public double[] apply(double[] x, int rows) {
        if (x.length != rows * spec.hidden()) {
            throw new IllegalArgumentException("lm-head reference: input of " + x.length + " elements, expected "
                    + rows + " x " + spec.hidden());
        }
        double[] logits = Linear.apply(x, rows, weight, null, spec.vocab(), spec.hidden());
        if (spec.softcap() > 0) {
            for (int k = 0; k < logits.length; k++) {
                logits[k] = spec.softcap() * Math.tanh(logits[k] / spec.softcap());
            }
        }
        return logits;
    }
}
