package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.I;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * The decode (M = 1) loops of BF16 weights read in place: one row of x, in split order (see {@link SplitOrder}),
 * against rows of w [N, K]. Every row of x against every row of w sums in one order, the same here and in
 * {@link SmallBatchBf16Kernel}, so a row's bits do not depend on M:
 * <ol>
 *   <li>the pairs in groups of 4 vectors (4·L pairs): vector q of each group goes to accumulator q (per lane: the
 *       even term, then the odd term), so 4 independent FMA chains run side by side;</li>
 *   <li>whole vectors past the last group go to accumulator 0;</li>
 *   <li>(a0 + a1) + (a2 + a3) lane by lane, then its lanes added in order ({@link SmallBatchBf16Kernel#sumLanes});</li>
 *   <li>the pairs past the last whole vector, then the last element of an odd K, as scalars.</li>
 * </ol>
 * Two loops give that order, chosen by K (docs/kernels.md has the measurements):
 * <ul>
 *   <li>K ≤ {@value #SEQUENTIAL_MAX_K}: {@link #rows4Sequential}, one row of w after the other, so the weights are read as one
 *       sequential stream while x (≤ 16 KiB in F32) stays in L1;</li>
 *   <li>longer rows: {@link #rows4}, 4 rows of w side by side (16 accumulators), so each x vector, which now comes
 *       from L2 (x no longer fits in L1 beside the streaming weights), feeds 4 rows.</li>
 * </ul>
 * Each loop is one static method: no vector crosses a call (see {@link Lanes}).
 */
final class Bf16Matvec {

    /** The longest row of w read one row at a time: x, in F32, fills at most half of a 32 KiB L1. */
    static final int SEQUENTIAL_MAX_K = 4096;

    private static final int L = Lanes.L;

    private Bf16Matvec() {
    }

    /**
     * sums[at + i] = row of x (split order, x[xa ..]) · the BF16 row of w at element offset w_i of ws, i in 0..3
     * (a partial block may repeat a row), the rows of w taken one after the other ({@link #rowLanes}); the 4 lane
     * sums are then added side by side, so their dependent chains of L adds overlap (a row of K = 2048 streams in
     * some 130 cycles: a chain of 16 adds per row alone would cost a third of that again).
     *
     * @param sums out: [4] from {@code at}, then [4, L] of scratch
     */
    static void rows4Sequential(MemorySegment ws, long w0, long w1, long w2, long w3, float[] x, int xa, int k,
                                float[] sums, int at) {
        int lanes = at + 4;
        int rest = rowLanes(ws, w0, x, xa, k, sums, lanes);
        rowLanes(ws, w1, x, xa, k, sums, lanes + L);
        rowLanes(ws, w2, x, xa, k, sums, lanes + 2 * L);
        rowLanes(ws, w3, x, xa, k, sums, lanes + 3 * L);
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        for (int i = 0; i < L; i++) {
            s0 += sums[lanes + i];
            s1 += sums[lanes + L + i];
            s2 += sums[lanes + 2 * L + i];
            s3 += sums[lanes + 3 * L + i];
        }
        sums[at] = addRest(ws, w0, x, xa, k, rest, s0);
        sums[at + 1] = addRest(ws, w1, x, xa, k, rest, s1);
        sums[at + 2] = addRest(ws, w2, x, xa, k, rest, s2);
        sums[at + 3] = addRest(ws, w3, x, xa, k, rest, s3);
    }

    /**
     * The vector part of row of x (split order, x[xa .. xa+K)) · the BF16 row of w at element offset {@code w0}:
     * lanes[at .. at+L) = (a0 + a1) + (a2 + a3); returns the first pair index left to the scalar rest.
     */
    private static int rowLanes(MemorySegment ws, long w0, float[] x, int xa, int k, float[] lanes, int at) {
        int pairs = k / 2;
        int pv = F.loopBound(pairs);
        int pg = pairs - pairs % (4 * L);
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int j = 0;
        for (; j < pg; j += 4 * L) {
            long o = (w0 + 2L * j) * 2;
            IntVector v0 = IntVector.fromMemorySegment(I, ws, o, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, o + 4 * L, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, o + 8 * L, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, o + 12 * L, LE);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + pairs + j),
                    v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + j), a0));
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + pairs + j + L),
                    v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + j + L), a1));
            a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + pairs + j + 2 * L),
                    v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + j + 2 * L), a2));
            a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + pairs + j + 3 * L),
                    v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + j + 3 * L), a3));
        }
        for (; j < pv; j += L) {
            IntVector v0 = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2, LE);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + pairs + j),
                    v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xa + j), a0));
        }
        a0.add(a1).add(a2.add(a3)).intoArray(lanes, at);
        return pv;
    }

    /**
     * sums[at + i] = row of x (split order, x[xa ..]) · the BF16 row of w at element offset w_i of ws, i in 0..3
     * (a partial block may repeat a row).
     *
     * @param sums out: [4] from {@code at}, then [4, L] of scratch
     */
    static void rows4(MemorySegment ws, long w0, long w1, long w2, long w3, float[] x, int xa, int k,
                      float[] sums, int at) {
        int pairs = k / 2;
        int pv = F.loopBound(pairs);
        int pg = pairs - pairs % (4 * L);
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z,
                a10 = z, a11 = z, a12 = z, a13 = z,
                a20 = z, a21 = z, a22 = z, a23 = z,
                a30 = z, a31 = z, a32 = z, a33 = z;
        int j = 0;
        for (; j < pg; j += 4 * L) {
            FloatVector e0 = FloatVector.fromArray(F, x, xa + j + 0 * L);
            FloatVector d0 = FloatVector.fromArray(F, x, xa + pairs + j + 0 * L);
            FloatVector e1 = FloatVector.fromArray(F, x, xa + j + 1 * L);
            FloatVector d1 = FloatVector.fromArray(F, x, xa + pairs + j + 1 * L);
            FloatVector e2 = FloatVector.fromArray(F, x, xa + j + 2 * L);
            FloatVector d2 = FloatVector.fromArray(F, x, xa + pairs + j + 2 * L);
            FloatVector e3 = FloatVector.fromArray(F, x, xa + j + 3 * L);
            FloatVector d3 = FloatVector.fromArray(F, x, xa + pairs + j + 3 * L);
            IntVector v00 = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2 + 0 * 4 * L, LE);
            IntVector v01 = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2 + 1 * 4 * L, LE);
            IntVector v02 = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2 + 2 * 4 * L, LE);
            IntVector v03 = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2 + 3 * 4 * L, LE);
            a00 = v00.and(0xFFFF0000).reinterpretAsFloats().fma(d0,
                    v00.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a00));
            a01 = v01.and(0xFFFF0000).reinterpretAsFloats().fma(d1,
                    v01.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a01));
            a02 = v02.and(0xFFFF0000).reinterpretAsFloats().fma(d2,
                    v02.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a02));
            a03 = v03.and(0xFFFF0000).reinterpretAsFloats().fma(d3,
                    v03.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a03));
            IntVector v10 = IntVector.fromMemorySegment(I, ws, (w1 + 2L * j) * 2 + 0 * 4 * L, LE);
            IntVector v11 = IntVector.fromMemorySegment(I, ws, (w1 + 2L * j) * 2 + 1 * 4 * L, LE);
            IntVector v12 = IntVector.fromMemorySegment(I, ws, (w1 + 2L * j) * 2 + 2 * 4 * L, LE);
            IntVector v13 = IntVector.fromMemorySegment(I, ws, (w1 + 2L * j) * 2 + 3 * 4 * L, LE);
            a10 = v10.and(0xFFFF0000).reinterpretAsFloats().fma(d0,
                    v10.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a10));
            a11 = v11.and(0xFFFF0000).reinterpretAsFloats().fma(d1,
                    v11.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a11));
            a12 = v12.and(0xFFFF0000).reinterpretAsFloats().fma(d2,
                    v12.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a12));
            a13 = v13.and(0xFFFF0000).reinterpretAsFloats().fma(d3,
                    v13.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a13));
            IntVector v20 = IntVector.fromMemorySegment(I, ws, (w2 + 2L * j) * 2 + 0 * 4 * L, LE);
            IntVector v21 = IntVector.fromMemorySegment(I, ws, (w2 + 2L * j) * 2 + 1 * 4 * L, LE);
            IntVector v22 = IntVector.fromMemorySegment(I, ws, (w2 + 2L * j) * 2 + 2 * 4 * L, LE);
            IntVector v23 = IntVector.fromMemorySegment(I, ws, (w2 + 2L * j) * 2 + 3 * 4 * L, LE);
            a20 = v20.and(0xFFFF0000).reinterpretAsFloats().fma(d0,
                    v20.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a20));
            a21 = v21.and(0xFFFF0000).reinterpretAsFloats().fma(d1,
                    v21.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a21));
            a22 = v22.and(0xFFFF0000).reinterpretAsFloats().fma(d2,
                    v22.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a22));
            a23 = v23.and(0xFFFF0000).reinterpretAsFloats().fma(d3,
                    v23.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a23));
            IntVector v30 = IntVector.fromMemorySegment(I, ws, (w3 + 2L * j) * 2 + 0 * 4 * L, LE);
            IntVector v31 = IntVector.fromMemorySegment(I, ws, (w3 + 2L * j) * 2 + 1 * 4 * L, LE);
            IntVector v32 = IntVector.fromMemorySegment(I, ws, (w3 + 2L * j) * 2 + 2 * 4 * L, LE);
            IntVector v33 = IntVector.fromMemorySegment(I, ws, (w3 + 2L * j) * 2 + 3 * 4 * L, LE);
            a30 = v30.and(0xFFFF0000).reinterpretAsFloats().fma(d0,
                    v30.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a30));
            a31 = v31.and(0xFFFF0000).reinterpretAsFloats().fma(d1,
                    v31.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a31));
            a32 = v32.and(0xFFFF0000).reinterpretAsFloats().fma(d2,
                    v32.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a32));
            a33 = v33.and(0xFFFF0000).reinterpretAsFloats().fma(d3,
                    v33.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a33));
        }
        for (; j < pv; j += L) {
            FloatVector e = FloatVector.fromArray(F, x, xa + j);
            FloatVector d = FloatVector.fromArray(F, x, xa + pairs + j);
            IntVector v0 = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2, LE);
            a00 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(d, v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(e, a00));
            IntVector v1 = IntVector.fromMemorySegment(I, ws, (w1 + 2L * j) * 2, LE);
            a10 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(d, v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(e, a10));
            IntVector v2 = IntVector.fromMemorySegment(I, ws, (w2 + 2L * j) * 2, LE);
            a20 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(d, v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(e, a20));
            IntVector v3 = IntVector.fromMemorySegment(I, ws, (w3 + 2L * j) * 2, LE);
            a30 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(d, v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(e, a30));
        }
        int lanes = at + 4;
        a00.add(a01).add(a02.add(a03)).intoArray(sums, lanes + 0 * L);
        a10.add(a11).add(a12.add(a13)).intoArray(sums, lanes + 1 * L);
        a20.add(a21).add(a22.add(a23)).intoArray(sums, lanes + 2 * L);
        a30.add(a31).add(a32.add(a33)).intoArray(sums, lanes + 3 * L);
        float s0 = SmallBatchBf16Kernel.sumLanes(sums, lanes);
        float s1 = SmallBatchBf16Kernel.sumLanes(sums, lanes + L);
        float s2 = SmallBatchBf16Kernel.sumLanes(sums, lanes + 2 * L);
        float s3 = SmallBatchBf16Kernel.sumLanes(sums, lanes + 3 * L);
        sums[at] = addRest(ws, w0, x, xa, k, j, s0);
        sums[at + 1] = addRest(ws, w1, x, xa, k, j, s1);
        sums[at + 2] = addRest(ws, w2, x, xa, k, j, s2);
        sums[at + 3] = addRest(ws, w3, x, xa, k, j, s3);
    }

    /**
     * {@code s} plus the scalar rest of one row of x (split order, x[xa ..]) · the BF16 row of w at element offset
     * {@code w}: the pairs from {@code fromPair} on, each as even term + odd term, then the last element of an
     * odd K. Every loop here and in the small-batch kernels ends a row with it, so they add in one order.
     */
    static float addRest(MemorySegment ws, long w, float[] x, int xa, int k, int fromPair, float s) {
        int pairs = k / 2;
        for (int j = fromPair; j < pairs; j++) {
            s += x[xa + j] * bf16(ws, w + 2L * j) + x[xa + pairs + j] * bf16(ws, w + 2L * j + 1);
        }
        if ((k & 1) != 0) {
            s += x[xa + k - 1] * bf16(ws, w + k - 1);
        }
        return s;
    }

    /** Element {@code index} of a BF16 segment, as float. */
    static float bf16(MemorySegment ws, long index) {
        return Float.intBitsToFloat(ws.get(Lanes.I16_LE, index * 2) << 16);
    }
}
