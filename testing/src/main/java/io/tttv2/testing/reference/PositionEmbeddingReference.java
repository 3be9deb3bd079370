package io.tttv2.testing.reference;

import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.modules.Weights;

/** Learned absolute positions (GPT-2: {@code hidden = wte(ids) + wpe(positions)}): x[r] + weight[position of r]. */
public final class PositionEmbeddingReference {

    private final PositionEmbeddingSpec spec;
    private final float[] table;        // [maxPositions, hidden]

    public PositionEmbeddingReference(PositionEmbeddingSpec spec, Weights weights) {
        this.spec = spec;
        this.table = WeightValues.read(weights, "weight", "position embedding", spec.maxPositions(), spec.hidden());
    }

    public PositionEmbeddingSpec spec() {
        return spec;
    }

    /** x [T, hidden] of one sequence at positions {@code start .. start+T-1}; → [T, hidden]. */
    public double[] prefill(double[] x, int tokens, int start) {
        int[] positions = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            positions[t] = start + t;
        }
        return apply(x, positions);
    }

    /** x [rows, hidden], row r at {@code positions[r]}; → [rows, hidden]. */
    public double[] apply(double[] x, int[] positions) {
        int h = spec.hidden();
        if (x.length != positions.length * h) {
            throw new IllegalArgumentException("position embedding reference: input of " + x.length
                    + " elements, expected " + positions.length + " x " + h);
        }
        double[] y = x.clone();
        for (int r = 0; r < positions.length; r++) {
            int p = positions[r];
            if (p < 0 || p >= spec.maxPositions()) {
                throw new IllegalArgumentException("position embedding reference: position " + p
                        + " is outside 0 .. " + (spec.maxPositions() - 1) + " (maxPositions " + spec.maxPositions() + ")");
            }
            for (int i = 0; i < h; i++) {
                y[r * h + i] += table[p * h + i];
            }
        }
        return y;
    }
}
