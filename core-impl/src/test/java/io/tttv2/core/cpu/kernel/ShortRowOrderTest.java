package io.tttv2.core.cpu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ShortRowBf16Kernels}' one order, spelled out lane by lane in scalars: per lane an FMA chain over the pairs
 * (even term, then odd term), the lanes added in {@link LaneTree}'s tree, then the scalar rest. Both loops (one
 * row of x, and 4 × 4 blocks) must give exactly those bits, so a row's result does not depend on M.
 */
class ShortRowOrderTest {

    private static final int L = Lanes.L;

    @ParameterizedTest(name = "K={0}")
    @ValueSource(ints = {2, 33, 64, 256, 301, 704, 1023})
    void bothLoopsSumInTheSpelledOutOrder(int k) {
        Random r = new Random(k);
        int n = 4;
        MemorySegment ws = Arena.ofAuto().allocate(2L * n * k, 64);
        for (long i = 0; i < (long) n * k; i++) {
            ws.set(Lanes.I16_LE, 2 * i, Lanes.toBf16((r.nextFloat() - 0.5f) * (1 << r.nextInt(8))));
        }
        float[] x = new float[4 * k];
        for (int i = 0; i < x.length; i++) {
            x[i] = (r.nextFloat() - 0.5f) * (1 << r.nextInt(8));
        }
        float[] split = new float[4 * k];
        MemorySegment xs = MemorySegment.ofArray(x);
        for (int row = 0; row < 4; row++) {
            SplitOrder.splitF32(xs, (long) row * k, k, split, row * k);
        }
        float[] sums = new float[16 + 16 * L];
        ShortRowBf16Kernels.block4x4(ws, 0, k, 2L * k, 3L * k, split, 0, k, sums, 0);
        float[] block = java.util.Arrays.copyOf(sums, 16);
        for (int row = 0; row < 4; row++) {
            ShortRowBf16Kernels.rows4(ws, 0, k, 2L * k, 3L * k, split, row * k, k, sums, 0);
            for (int j = 0; j < 4; j++) {
                float expected = spelledOut(ws, (long) j * k, x, row * k, k);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(sums[j]),
                        "rows4: row " + row + " of x, row " + j + " of w");
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(block[4 * row + j]),
                        "block4x4: row " + row + " of x, row " + j + " of w");
            }
        }
    }

    /** Row of x (natural order, x[xa .. xa+K)) · the BF16 row of w at element offset w, in the kernels' order. */
    private static float spelledOut(MemorySegment ws, long w, float[] x, int xa, int k) {
        int pairs = k / 2;
        int pv = pairs - pairs % L;
        float[] lanes = new float[L];
        for (int j = 0; j < pv; j += L) {
            for (int l = 0; l < L; l++) {
                int p = j + l;
                lanes[l] = Math.fma(Bf16Matvec.bf16(ws, w + 2L * p), x[xa + 2 * p], lanes[l]);
                lanes[l] = Math.fma(Bf16Matvec.bf16(ws, w + 2L * p + 1), x[xa + 2 * p + 1], lanes[l]);
            }
        }
        float s = LaneTree.sumOf(lanes, 0);
        for (int p = pv; p < pairs; p++) {
            s += x[xa + 2 * p] * Bf16Matvec.bf16(ws, w + 2L * p) + x[xa + 2 * p + 1] * Bf16Matvec.bf16(ws, w + 2L * p + 1);
        }
        if ((k & 1) != 0) {
            s += x[xa + k - 1] * Bf16Matvec.bf16(ws, w + k - 1);
        }
        return s;
    }
}
