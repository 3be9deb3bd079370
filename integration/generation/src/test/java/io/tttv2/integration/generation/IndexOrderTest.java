package io.tttv2.integration.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The index orderings against a plain sort, on random keys with and without many ties. */
class IndexOrderTest {

    private static float[] keys(SplittableRandom random, int n, int distinct) {
        float[] key = new float[n];
        for (int i = 0; i < n; i++) {
            key[i] = distinct > 0 ? random.nextInt(distinct) : (float) random.nextGaussian();
        }
        return key;
    }

    /** The keys in descending order, by a plain sort. */
    private static float[] descending(float[] key) {
        float[] sorted = key.clone();
        Arrays.sort(sorted);
        for (int i = 0, j = sorted.length - 1; i < j; i++, j--) {
            float t = sorted[i];
            sorted[i] = sorted[j];
            sorted[j] = t;
        }
        return sorted;
    }

    private static int[] identity(int n) {
        int[] idx = new int[n];
        Arrays.setAll(idx, i -> i);
        return idx;
    }

    @Test
    void sortOrdersByDescendingKey() {
        SplittableRandom random = new SplittableRandom(5);
        for (int distinct : new int[] {0, 3, 1}) {
            for (int n : new int[] {1, 2, 17, 100, 5000}) {
                float[] key = keys(random, n, distinct);
                int[] idx = identity(n);
                IndexOrder.sortDescending(idx, 0, n, key);
                float[] got = new float[n];
                for (int i = 0; i < n; i++) {
                    got[i] = key[idx[i]];
                }
                assertArrayEquals(descending(key), got, "n=" + n + " distinct=" + distinct);
                assertArrayEquals(identity(n), Arrays.stream(idx).sorted().toArray(), "a permutation");
            }
        }
    }

    @Test
    void partialSortPutsTheLargestKFirstInOrder() {
        SplittableRandom random = new SplittableRandom(6);
        for (int distinct : new int[] {0, 4}) {
            float[] key = keys(random, 3000, distinct);
            float[] expected = descending(key);
            for (int k : new int[] {1, 10, 64, 2999, 3000}) {
                int[] idx = identity(key.length);
                IndexOrder.partialSortDescending(idx, 0, key.length, k, key);
                for (int i = 0; i < k; i++) {
                    assertEquals(expected[i], key[idx[i]], "k=" + k + " position " + i);
                }
                for (int i = k; i < key.length; i++) {
                    assertEquals(true, key[idx[i]] <= expected[k - 1], "k=" + k + " position " + i + " after the top");
                }
            }
        }
    }

    @Test
    void kthLargestIsThePlainSortsKthEntry() {
        SplittableRandom random = new SplittableRandom(7);
        for (int distinct : new int[] {0, 2, 50}) {
            float[] key = keys(random, 4000, distinct);
            float[] expected = descending(key);
            int[] heap = new int[key.length];
            for (int k : new int[] {1, 2, 50, 1000, 4000}) {
                assertEquals(expected[k - 1], IndexOrder.kthLargest(key, key.length, k, heap), "k=" + k);
            }
        }
    }
}
