package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The lanes of accumulator vectors added up in one fixed tree, 4 accumulators at a time, with two-vector
 * shuffles instead of a scalar add per lane: the reduction of {@link ShortRowBf16Kernels}, where a row of w is a
 * few vectors long and adding 16 lanes one by one cost as much as the FMAs (K = 256: 16 FMAs per output, 16
 * scalar adds).
 *
 * <p>The tree, per accumulator of L lanes l[0..L): halve, h = L/2, L/4, .., 1: l[i] = l[i] + l[i + h] for i &lt; h;
 * the sum is l[0]. Every level adds the two halves of each accumulator's segment side by side for 2 accumulators
 * in one vector add, so the bits of one accumulator's sum do not depend on which others are reduced with it
 * ({@link #sumOf} is the same tree, one lane at a time: the tests' reference).
 */
final class LaneTree {

    private static final int L = Lanes.L;

    /**
     * Per level (segment length s = L, L/2, .., 2 of the two source vectors u, v read as one [2L] index space):
     * LOW[level] lane p = the first half of segment p / (s/2) at offset p % (s/2); HIGH the second half.
     * Output p then holds segment p / (s/2)'s partial sum, in segments of s/2.
     */
    static final FloatVector[] LOW;
    static final FloatVector[] HIGH;

    /** The first 4 lanes: the 4 sums. */
    private static final VectorMask<Float> FIRST4 = F.indexInRange(0, 4);

    static {
        int levels = Integer.numberOfTrailingZeros(L);
        LOW = new FloatVector[levels];
        HIGH = new FloatVector[levels];
        for (int level = 0; level < levels; level++) {
            int s = L >> level;
            float[] low = new float[L];
            float[] high = new float[L];
            for (int p = 0; p < L; p++) {
                int index = (p / (s / 2)) * s + p % (s / 2);
                low[p] = index;
                high[p] = index + s / 2;
            }
            LOW[level] = FloatVector.fromArray(F, low, 0);
            HIGH[level] = FloatVector.fromArray(F, high, 0);
        }
    }

    private LaneTree() {
    }

    /**
     * out[at + q] = the tree sum of the L lanes a[from + q·L ..], q in 0..3. Reads all four before it writes, so
     * out may be a below from.
     */
    static void sum4(float[] a, int from, float[] out, int at) {
        FloatVector v0 = FloatVector.fromArray(F, a, from);
        FloatVector v1 = FloatVector.fromArray(F, a, from + L);
        FloatVector v2 = FloatVector.fromArray(F, a, from + 2 * L);
        FloatVector v3 = FloatVector.fromArray(F, a, from + 3 * L);
        // level 0: accumulators 0|1 and 2|3 into segments of L/2
        FloatVector u = LOW[0].selectFrom(v0, v1).add(HIGH[0].selectFrom(v0, v1));
        FloatVector w = LOW[0].selectFrom(v2, v3).add(HIGH[0].selectFrom(v2, v3));
        // level 1: the four into segments of L/4 (L ≥ 4: with AVX-512 L = 16, with AVX2 8, with SSE 4)
        FloatVector t = LOW[1].selectFrom(u, w).add(HIGH[1].selectFrom(u, w));
        // the rest within one vector: its upper half repeats the lower
        for (int level = 2; level < LOW.length; level++) {
            t = LOW[level].selectFrom(t, t).add(HIGH[level].selectFrom(t, t));
        }
        t.intoArray(out, at, FIRST4);
    }

    /** The same tree over a[from .. from+L), lane by lane. */
    static float sumOf(float[] a, int from) {
        float[] l = new float[L];
        System.arraycopy(a, from, l, 0, L);
        for (int h = L / 2; h >= 1; h /= 2) {
            for (int i = 0; i < h; i++) {
                l[i] = l[i] + l[i + h];
            }
        }
        return l[0];
    }
}
