package io.tttv2.testing.reference;

import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.Weights;

/** Token embedding ({@code nn.Embedding}): row {@code id} of the table, times the spec's scale (Gemma: √hidden). */
public final class EmbeddingReference {

    private final EmbeddingSpec spec;
    private final float[] table;        // [vocab, hidden]

    public EmbeddingReference(EmbeddingSpec spec, Weights weights) {
        this.spec = spec;
        this.table = WeightValues.read(weights, "weight", "embedding", spec.vocab(), spec.hidden());
    }

    public EmbeddingSpec spec() {
        return spec;
    }

    /** ids [rows] → [rows, hidden]. */
    public double[] apply(int[] ids) {
        int h = spec.hidden();
        double[] y = new double[ids.length * h];
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] < 0 || ids[r] >= spec.vocab()) {
                throw new IllegalArgumentException("embedding reference: token id " + ids[r]
                        + " is outside the vocabulary of " + spec.vocab());
            }
            for (int i = 0; i < h; i++) {
                y[r * h + i] = (double) table[ids[r] * h + i] * spec.scale();
            }
        }
        return y;
    }
}
