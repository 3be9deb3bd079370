package io.tttv2.integration.generation;

/**
 * The top-p nucleus without sorting the vocabulary: a quickselect that partitions candidates by logit and
 * steers by probability mass, linear in the candidates on average however wide the nucleus is. Weights move
 * with their candidates; nothing is allocated.
 */
final class NucleusSelection {

    /** Below this many undecided candidates, sort them and walk. */
    private static final int SMALL = 32;

    private NucleusSelection() {
    }

    /**
     * Rearranges {@code idx[0, count)} (and {@code weight[0, count)} alongside, {@code weight[i]} belonging to
     * {@code idx[i]}) so that {@code idx[0, n)} is the nucleus, and returns {@code n}: the most likely tokens,
     * each kept if the weight of the tokens ranked above it is below {@code target} — the smallest set of
     * largest logits whose weight reaches {@code target}. Ties at the edge are kept in the order they lie.
     *
     * @param target {@code p} times the total weight; positive
     */
    static int select(int[] idx, double[] weight, int count, float[] key, double target) {
        int lo = 0, hi = count;
        double above = 0;                  // weight of idx[0, lo): decided, in the nucleus, and below target
        while (hi - lo > SMALL) {
            float pivot = key[idx[medianOfThree(idx, lo, lo + (hi - lo) / 2, hi - 1, key)]];
            // three-way partition: [lo, lt) > pivot, [lt, gt] == pivot, (gt, hi) < pivot
            int lt = lo, i = lo, gt = hi - 1;
            while (i <= gt) {
                float v = key[idx[i]];
                if (v > pivot) {
                    swap(idx, weight, lt++, i++);
                } else if (v < pivot) {
                    swap(idx, weight, i, gt--);
                } else {
                    i++;
                }
            }
            double greater = sum(weight, lo, lt);
            if (above + greater >= target) {
                hi = lt;                   // the nucleus ends among the greater ones
                continue;
            }
            double equal = sum(weight, lt, gt + 1);
            if (above + greater + equal >= target) {
                above += greater;          // it ends in the run equal to the pivot
                int n = lt;
                while (n <= gt && above < target) {
                    above += weight[n++];
                }
                return n;
            }
            above += greater + equal;
            lo = gt + 1;
        }
        sortDescending(idx, weight, lo, hi, key);
        for (int i = lo; i < hi; i++) {
            if (above >= target) {
                return i;
            }
            above += weight[i];
        }
        return hi;
    }

    private static double sum(double[] weight, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += weight[i];
        }
        return s;
    }

    /** Insertion sort of a short range by descending key, weights alongside. */
    private static void sortDescending(int[] idx, double[] weight, int from, int to, float[] key) {
        for (int i = from + 1; i < to; i++) {
            int movingIdx = idx[i];
            double movingWeight = weight[i];
            float v = key[movingIdx];
            int j = i - 1;
            while (j >= from && key[idx[j]] < v) {
                idx[j + 1] = idx[j];
                weight[j + 1] = weight[j];
                j--;
            }
            idx[j + 1] = movingIdx;
            weight[j + 1] = movingWeight;
        }
    }

    private static int medianOfThree(int[] idx, int a, int b, int c, float[] key) {
        float ka = key[idx[a]], kb = key[idx[b]], kc = key[idx[c]];
        if (ka < kb) {
            return kb < kc ? b : (ka < kc ? c : a);
        }
        return ka < kc ? a : (kb < kc ? c : b);
    }

    private static void swap(int[] idx, double[] weight, int i, int j) {
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
        double w = weight[i];
        weight[i] = weight[j];
        weight[j] = w;
    }
}
