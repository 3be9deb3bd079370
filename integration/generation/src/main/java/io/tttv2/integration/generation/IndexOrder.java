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
     * The {@code k}-th largest of {@code key[0, n)} (1 ≤ k ≤ n), found with a min-heap of the k largest seen so
     * far in {@code heap[0, k)}: one sequential pass in which most values only meet the heap's root.
     */
    static float kthLargest(float[] key, int n, int k, int[] heap) {
        for (int i = 0; i < k; i++) {
            heap[i] = i;
            siftUp(heap, i, key);
        }
        for (int i = k; i < n; i++) {
            if (key[i] > key[heap[0]]) {
                heap[0] = i;
                siftDown(heap, k, key);
            }
        }
        return key[heap[0]];
    }

    private static void siftUp(int[] heap, int at, float[] key) {
        int moving = heap[at];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (key[heap[parent]] <= key[moving]) {
                break;
            }
            heap[at] = heap[parent];
            at = parent;
        }
        heap[at] = moving;
    }

    private static void siftDown(int[] heap, int size, float[] key) {
        int moving = heap[0];
        int at = 0;
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && key[heap[child + 1]] < key[heap[child]]) {
                child++;
            }
            if (key[heap[child]] >= key[moving]) {
                break;
            }
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = moving;
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
