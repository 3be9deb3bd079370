package io.tttv2.integration.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KthLargestTest {

    @Test
    void isThePlainSortsKthEntryWithAndWithoutTies() {
        SplittableRandom random = new SplittableRandom(7);
        for (int distinct : new int[] {0, 1, 2, 50}) {
            float[] key = new float[4000];
            for (int i = 0; i < key.length; i++) {
                key[i] = distinct > 0 ? random.nextInt(distinct) : (float) random.nextGaussian();
            }
            float[] ascending = key.clone();
            Arrays.sort(ascending);
            int[] heap = new int[key.length];
            for (int k : new int[] {1, 2, 50, 1000, 4000}) {
                assertEquals(ascending[key.length - k], KthLargest.of(key, key.length, k, heap), "k=" + k + " distinct=" + distinct);
            }
        }
    }
}
