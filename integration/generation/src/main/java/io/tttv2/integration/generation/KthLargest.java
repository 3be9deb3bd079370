package io.tttv2.integration.generation;

/**
 * The k-th largest logit, the top-k threshold, found without sorting: a min-heap of the k largest values
 * seen so far, in one sequential pass in which most values only meet the heap's root. Nothing is allocated:
 * the caller lends the heap's storage.
 */
final class KthLargest {

    private KthLargest() {
    }

    /**
     * The {@code k}-th largest of {@code key[0, n)} (1 ≤ k ≤ n).
     *
     * @param heap at least {@code k} ints of scratch; overwritten
     */
    static float of(float[] key, int n, int k, int[] heap) {
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
}
