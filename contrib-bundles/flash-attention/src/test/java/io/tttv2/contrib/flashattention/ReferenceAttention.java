package io.tttv2.contrib.flashattention;

/**
 * Plain, obviously-correct attention in double precision: for query position p and head h, the keys j of
 * KV head {@code h / group} with {@code j ≤ p} (causal; else {@code j ≤ lastKey}) and {@code j > p - window}
 * (window 0: all), scores {@code scale · q·k} (soft-capped when cap > 0), softmax, weighted sum of values.
 */
final class ReferenceAttention {

    private ReferenceAttention() {
    }

    /**
     * @param q       [heads][D] one query, at position p
     * @param keys    [positions][kvHeads][D] every key of its sequence, as stored
     * @param vals    [positions][kvHeads][D]
     * @param lastKey the last key a non-causal query sees
     * @return [heads][D]
     */
    static double[][] attend(float[][] q, float[][][] keys, float[][][] vals, int p, boolean causal, int lastKey,
                             int window, double scale, double softcap) {
        int heads = q.length;
        int kvHeads = keys[0].length;
        int d = q[0].length;
        int group = heads / kvHeads;
        double[][] out = new double[heads][d];
        int lo = window > 0 ? Math.max(0, p - window + 1) : 0;
        int hi = causal ? p : lastKey;
        for (int h = 0; h < heads; h++) {
            int g = h / group;
            double[] s = new double[hi - lo + 1];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = lo; j <= hi; j++) {
                double dot = 0;
                for (int i = 0; i < d; i++) {
                    dot += (double) q[h][i] * keys[j][g][i];
                }
                double score = dot * scale;
                if (softcap > 0) {
                    score = softcap * Math.tanh(score / softcap);
                }
                s[j - lo] = score;
                max = Math.max(max, score);
            }
            double sum = 0;
            for (int j = 0; j < s.length; j++) {
                s[j] = Math.exp(s[j] - max);
                sum += s[j];
            }
            for (int j = lo; j <= hi; j++) {
                double w = s[j - lo] / sum;
                for (int i = 0; i < d; i++) {
                    out[h][i] += w * vals[j][g][i];
                }
            }
        }
        return out;
    }
}
