package io.tttv2.testing.reference;

import io.tttv2.api.modules.PoolerSpec;
import io.tttv2.api.modules.Weights;

/** BERT's pooler: {@code y_b = tanh(dense(x[b, 0]))}, in double. */
public final class PoolerReference {

    private final PoolerSpec spec;
    private final float[] dense;        // [hidden, hidden]
    private final float[] bias;         // [hidden]

    public PoolerReference(PoolerSpec spec, Weights weights) {
        this.spec = spec;
        this.dense = WeightValues.read(weights, "dense.weight", "pooler", spec.hidden(), spec.hidden());
        this.bias = WeightValues.read(weights, "dense.bias", "pooler", spec.hidden());
    }

    public PoolerSpec spec() {
        return spec;
    }

    /** x [B, T, hidden] → [B, hidden]. */
    public double[] forward(double[] x, int batch, int tokens) {
        int h = spec.hidden();
        if (x.length != batch * tokens * h) {
            throw new IllegalArgumentException("pooler reference: input of " + x.length + " elements, expected "
                    + batch + " x " + tokens + " x " + h);
        }
        double[] first = new double[batch * h];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(x, b * tokens * h, first, b * h, h);
        }
        double[] y = Linear.apply(first, batch, dense, bias, h, h);
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.tanh(y[i]);
        }
        return y;
    }
}
