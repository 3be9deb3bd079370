package io.tttv2.testing.reference;

/**
 * softmax(scale · q·kᵀ [soft-capped] + bias) v of one query row over a run of keys, each key visible or not
 * (padding, causality): the core of the encoder and cross-attention references.
 *
 * @param heads   query heads
 * @param kvHeads key/value heads (divides heads)
 * @param headDim elements per head
 * @param scale   multiplies q·k
 * @param softcap 0 for none
 */
record KeyedAttention(int heads, int kvHeads, int headDim, double scale, double softcap) {

    /**
     * Query row {@code row} of q [rows, heads·D] against keys and values {@code keyRow .. keyRow+keys-1} of
     * k, v [rows', kvHeads·D]; bias [heads, queries, keys] (row {@code biasRow}) or null; the context is written
     * into row {@code row} of context [rows, heads·D] (zeros when no key is visible).
     */
    void attend(double[] q, int row, double[] k, double[] v, int keyRow, int keys, boolean[] visible, double[] bias,
                int biasRow, double[] context) {
        int d = headDim;
        int group = heads / kvHeads;
        int queries = bias == null ? 0 : bias.length / (heads * keys);
        for (int head = 0; head < heads; head++) {
            int kvHead = head / group;
            int query = (row * heads + head) * d;
            double[] scores = new double[keys];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < keys; j++) {
                if (!visible[j]) {
                    scores[j] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                int key = ((keyRow + j) * kvHeads + kvHead) * d;
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += q[query + i] * k[key + i];
                }
                double s = scale * dot;
                if (softcap > 0) {
                    s = softcap * Math.tanh(s / softcap);
                }
                if (bias != null) {
                    s += bias[(head * queries + biasRow) * keys + j];
                }
                scores[j] = s;
                max = Math.max(max, s);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                continue;
            }
            double total = 0;
            for (int j = 0; j < keys; j++) {
                scores[j] = Math.exp(scores[j] - max);
                total += scores[j];
            }
            for (int j = 0; j < keys; j++) {
                if (scores[j] == 0) {
                    continue;
                }
                int value = ((keyRow + j) * kvHeads + kvHead) * d;
                double weight = scores[j] / total;
                for (int i = 0; i < d; i++) {
                    context[query + i] += weight * v[value + i];
                }
            }
        }
    }
}
