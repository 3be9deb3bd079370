package io.tttv2.integration.generation;

/**
 * Orders token indices by their logits, largest first, in place and without allocating: the sampler calls
 * it once per token over up to a vocabulary of indices. Three-way partitioning keeps runs of equal logits
 * (common after filtering) linear instead of quadratic.
 */
final class IndexOrder {

    private static final int INSERTION_SORT_MAX = 16;

    private IndexOrder() {
    }

    /**
     * Rearranges {@code idx[from, to)} so that {@code idx[from, from + k)} hold the {@code k} indices of largest
     * {@code key}, sorted descending; the rest follow in no particular order.
     */
    static void partialSortDescending(int[] idx, int from, int to, int k, float[] key) {
        if (k <= 0 || to - from <= 1) {
            return;
        }
        int end = Math.min(to, from + k);
        if (end < to) {
            select(idx, from, to, end - 1, key);
        }
        sortDescending(idx, from, end, key);
    }

    /**
     * Quickselect: afterwards {@code idx[n]} holds the index whose key ranks at position {@code n} (descending)
     * within {@code idx[from, to)}, every index before it has a key ≥ and every index after it a key ≤.
     */
    static void select(int[] idx, int from, int to, int n, float[] key) {
        int lo = from, hi = to - 1;
        while (hi > lo) {
            float pivot = key[idx[medianOfThree(idx, lo, lo + (hi - lo) / 2, hi, key)]];
            // three-way partition: [lo, lt) > pivot, [lt, i) == pivot, (gt, hi] < pivot
            int lt = lo, i = lo, gt = hi;
            while (i <= gt) {
                float v = key[idx[i]];
                if (v > pivot) {
                    swap(idx, lt++, i++);
                } else if (v < pivot) {
                    swap(idx, i, gt--);
                } else {
                    i++;
                }
            }
            if (n < lt) {
                hi = lt - 1;
            } else if (n > gt) {
                lo = gt + 1;
            } else {
                return;
            }
        }
    }

    /** Sorts {@code idx[from, to)} by descending key (quicksort with three-way partitioning). */
    static void sortDescending(int[] idx, int from, int to, float[] key) {
        while (to - from > INSERTION_SORT_MAX) {
            float pivot = key[idx[medianOfThree(idx, from, from + (to - from) / 2, to - 1, key)]];
            int lt = from, i = from, gt = to - 1;
            while (i <= gt) {
                float v = key[idx[i]];
                if (v > pivot) {
                    swap(idx, lt++, i++);
                } else if (v < pivot) {
                    swap(idx, i, gt--);
                } else {
                    i++;
                }
            }
            // recurse into the smaller side, loop on the larger: stack depth stays logarithmic
            if (lt - from < to - gt - 1) {
                sortDescending(idx, from, lt, key);
                from = gt + 1;
            } else {
                sortDescending(idx, gt + 1, to, key);
                to = lt;
            }
        }
        for (int i = from + 1; i < to; i++) {
            int moving = idx[i];
            float v = key[moving];
            int j = i - 1;
            while (j >= from && key[idx[j]] < v) {
                idx[j + 1] = idx[j];
                j--;
            }
            idx[j + 1] = moving;
        }
    }

    private static int medianOfThree(int[] idx, int a, int b, int c, float[] key) {
        float ka = key[idx[a]], kb = key[idx[b]], kc = key[idx[c]];
        if (ka < kb) {
            return kb < kc ? b : (ka < kc ? c : a);
        }
        return ka < kc ? a : (kb < kc ? c : b);
    }

    private static void swap(int[] idx, int i, int j) {
        int t = idx[i];
        idx[i] = idx[j];
        idx[j] = t;
    }
}
