package io.tttv2.core.cpu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LaneTree#sum4}'s shuffles add exactly {@link LaneTree#sumOf}'s tree, and that tree is the halving one. */
class LaneTreeTest {

    private static final int L = Lanes.L;

    @Test
    void sum4GivesTheTreeSumOfEachOfFourAccumulatorsBitForBit() {
        Random r = new Random(5);
        float[] a = new float[8 + 4 * L];
        for (int round = 0; round < 200; round++) {
            for (int i = 0; i < a.length; i++) {
                // magnitudes 2^-20 .. 2^20: the order of the adds shows in the bits
                a[i] = (r.nextFloat() - 0.5f) * (float) Math.scalb(1.0, r.nextInt(41) - 20);
            }
            float[] out = new float[L];
            LaneTree.sum4(a, 8, out, 1);
            for (int q = 0; q < 4; q++) {
                assertEquals(Float.floatToRawIntBits(LaneTree.sumOf(a, 8 + q * L)), Float.floatToRawIntBits(out[1 + q]),
                        "round " + round + " accumulator " + q);
            }
            assertEquals(0f, out[0], "writes only its 4 sums");
            assertEquals(0f, out[5], "writes only its 4 sums");
        }
    }

    @Test
    void theTreeAddsLaneIToLaneIPlusHalfFirst() {
        // lane 0 = 2^30 and lane L/2 = -2^30 cancel in the first level; in order they would swallow lane 1's 1
        float[] a = new float[L];
        a[0] = 0x1p30f;
        a[L / 2] = -0x1p30f;
        a[1] = 1f;
        assertEquals(1f, LaneTree.sumOf(a, 0));
        float[] out = new float[L];
        LaneTree.sum4(pad(a), 0, out, 0);
        assertEquals(1f, out[0]);
    }

    private static float[] pad(float[] lanes) {
        float[] four = new float[4 * L];
        System.arraycopy(lanes, 0, four, 0, L);
        return four;
    }
}
