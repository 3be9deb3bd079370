package io.tttv2.integration.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The selection against the definition computed the plain way: sort, then walk the cumulative mass. */
class NucleusSelectionTest {

    /** The nucleus size by sorting: token j (descending) stays while the mass above it is below target. */
    private static int bySorting(float[] key, double[] weightOfToken, double target) {
        Integer[] order = new Integer[key.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble(i -> -key[i]));
        double above = 0;
        for (int j = 0; j < order.length; j++) {
            if (above >= target) {
                return j;
            }
            above += weightOfToken[order[j]];
        }
        return order.length;
    }

    @Test
    void keepsTheSameTokensAsSortingDoes() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + random.nextInt(trial < 100 ? 40 : 3000);
            int distinct = random.nextInt(4) == 0 ? 1 + random.nextInt(6) : 0;   // sometimes many ties
            float[] key = new float[n];
            for (int i = 0; i < n; i++) {
                key[i] = distinct > 0 ? random.nextInt(distinct) : (float) (random.nextGaussian() * (1 + random.nextInt(6)));
            }
            float max = Float.NEGATIVE_INFINITY;
            for (float k : key) {
                max = Math.max(max, k);
            }
            double[] weightOfToken = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) {
                weightOfToken[i] = Math.exp(key[i] - max);
                total += weightOfToken[i];
            }
            double p = random.nextDouble(0.01, 1.0);

            int[] idx = new int[n];
            Arrays.setAll(idx, i -> i);
            double[] weight = weightOfToken.clone();
            int kept = NucleusSelection.select(idx, weight, n, key, p * total);

            String where = "trial " + trial + ", n=" + n + ", p=" + p;
            assertEquals(bySorting(key, weightOfToken, p * total), kept, where);
            int[] sortedIdx = idx.clone();
            Arrays.sort(sortedIdx);
            int[] all = new int[n];
            Arrays.setAll(all, i -> i);
            assertArrayEquals(all, sortedIdx, "a permutation: " + where);
            for (int i = 0; i < n; i++) {
                assertEquals(weightOfToken[idx[i]], weight[i], "weights moved with their tokens: " + where);
            }
            float lowestKept = Float.POSITIVE_INFINITY;
            for (int i = 0; i < kept; i++) {
                lowestKept = Math.min(lowestKept, key[idx[i]]);
            }
            for (int i = kept; i < n; i++) {
                assertTrue(key[idx[i]] <= lowestKept, "nothing left out is more likely than what was kept: " + where);
            }
        }
    }
}
