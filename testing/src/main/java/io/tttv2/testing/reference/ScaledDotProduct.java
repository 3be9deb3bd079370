package io.tttv2.testing.reference;

/**
 * softmax(scale · q·kᵀ [soft-capped, masked]) v for one query row, shared by the attention and the attention
 * backend references:
 *
 * <pre>
 * for each query head h, its kv head g = h / (heads / kvHeads), the query at position p:
 *   s_j = scale · q·k_j  for every key j ≤ last (and p − j &lt; window when sliding)
 *   s_j = cap · tanh(s_j / cap)                             (soft-capped: Gemma 2)
 *   context = Σ_j softmax(s)_j · v_j
 * </pre>
 *
 * @param heads   query heads
 * @param kvHeads key/value heads (divides heads)
 * @param headDim elements per query and key head
 * @param valueDim elements per value head (and of the context)
 * @param scale   multiplies q·k
 * @param window  0 for none
 * @param softcap 0 for none
 */
record ScaledDotProduct(int heads, int kvHeads, int headDim, int valueDim, double scale, int window, double softcap) {

    /** Keys and values of one width. */
    ScaledDotProduct(int heads, int kvHeads, int headDim, double scale, int window, double softcap) {
        this(heads, kvHeads, headDim, headDim, scale, window, softcap);
    }

    /**
     * The context of query row {@code row} of q [rows, heads, D] at {@code position} over the keys and values
     * of positions {@code 0 .. last} (keys [≥ last + 1, kvHeads, D], values [≥ last + 1, kvHeads, Dv]), added
     * into {@code context [rows, heads, Dv]}. A causal attention passes {@code last = position}.
     */
    void attend(double[] q, int row, double[] keys, double[] values, int position, int last, double[] context) {
        int d = headDim;
        int group = heads / kvHeads;
        for (int head = 0; head < heads; head++) {
            int kvHead = head / group;
            int query = (row * heads + head) * d;
            double[] scores = new double[last + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= last; j++) {
                boolean visible = window == 0 || position - j < window;
                if (!visible) {
                    scores[j] = Double.NEGATIVE_INFINITY;
                    continue;
                }
                int key = (j * kvHeads + kvHead) * d;
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += q[query + i] * keys[key + i];
                }
                double s = scale * dot;
                if (softcap > 0) {
                    s = softcap * Math.tanh(s / softcap);
                }
                scores[j] = s;
                max = Math.max(max, s);
            }
            double total = 0;
            for (int j = 0; j <= last; j++) {
                scores[j] = Math.exp(scores[j] - max);      // exp(−∞) = 0 for hidden keys
                total += scores[j];
            }
            for (int j = 0; j <= last; j++) {
                int value = (j * kvHeads + kvHead) * valueDim;
                double weight = scores[j] / total;
                int out = (row * heads + head) * valueDim;
                for (int i = 0; i < valueDim; i++) {
                    context[out + i] += weight * values[value + i];
                }
            }
        }
    }
}
