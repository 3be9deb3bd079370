package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.I;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * 4 rows of x against one BF16 row of w read in place: the small-batch block of {@link MatmulKernel} (a served
 * decode step of a few sequences, a short prompt chunk). Each int vector of w is widened once into its even and
 * odd halves (see {@link SplitOrder}) and feeds the 4 rows of x; 4 consecutive vectors of w per step, one
 * accumulator each per row of x: 16 accumulators and 8 widened weight vectors stay in AVX-512's 32 registers.
 * Rows of w are taken one after the other, so the weights stream sequentially as in the decode loop.
 *
 * <p>Every accumulator sums in {@link Bf16Matvec}'s order (vector q of each group of 4 into accumulator q, even
 * term then odd term; the vectors past the last group into accumulator 0; (a0 + a1) + (a2 + a3) and its lanes
 * added in order; then the same scalar rest), so a row of x gets the same bits whether it is computed alone or
 * in a block of 4: a sequence's logits do not depend on its batch.
 *
 * <p>The whole loop is one static method: no vector crosses a call (see {@link Lanes}).
 */
final class SmallBatchBf16Kernel {

    private static final int L = Lanes.L;

    private SmallBatchBf16Kernel() {
    }

    /**
     * sums[at + r] = row r of x · the BF16 row of w at element offset {@code w0} of ws, for r in 0..3.
     *
     * @param x    rows of x in split order, [4, K] from {@code xa} (row r at xa + r·K)
     * @param sums out: [4] from {@code at}, then [4, L] of scratch
     */
    static void block4x1(MemorySegment ws, long w0, float[] x, int xa, int k, float[] sums, int at) {
        int pairs = k / 2;
        int pv = F.loopBound(pairs);
        int pg = pairs - pairs % (4 * L);
        int x0 = xa;
        int x1 = xa + k;
        int x2 = xa + 2 * k;
        int x3 = xa + 3 * k;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z,
                a10 = z, a11 = z, a12 = z, a13 = z,
                a20 = z, a21 = z, a22 = z, a23 = z,
                a30 = z, a31 = z, a32 = z, a33 = z;
        int j = 0;
        for (; j < pg; j += 4 * L) {
            long o = (w0 + 2L * j) * 2;
            IntVector v0 = IntVector.fromMemorySegment(I, ws, o + 0 * 4 * L, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, o + 1 * 4 * L, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, o + 2 * 4 * L, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, o + 3 * 4 * L, LE);
            FloatVector e0 = v0.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d0 = v0.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector e1 = v1.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d1 = v1.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector e2 = v2.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d2 = v2.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector e3 = v3.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d3 = v3.and(0xFFFF0000).reinterpretAsFloats();
            a00 = d0.fma(FloatVector.fromArray(F, x, x0 + pairs + j + 0 * L),
                    e0.fma(FloatVector.fromArray(F, x, x0 + j + 0 * L), a00));
            a01 = d1.fma(FloatVector.fromArray(F, x, x0 + pairs + j + 1 * L),
                    e1.fma(FloatVector.fromArray(F, x, x0 + j + 1 * L), a01));
            a02 = d2.fma(FloatVector.fromArray(F, x, x0 + pairs + j + 2 * L),
                    e2.fma(FloatVector.fromArray(F, x, x0 + j + 2 * L), a02));
            a03 = d3.fma(FloatVector.fromArray(F, x, x0 + pairs + j + 3 * L),
                    e3.fma(FloatVector.fromArray(F, x, x0 + j + 3 * L), a03));
            a10 = d0.fma(FloatVector.fromArray(F, x, x1 + pairs + j + 0 * L),
                    e0.fma(FloatVector.fromArray(F, x, x1 + j + 0 * L), a10));
            a11 = d1.fma(FloatVector.fromArray(F, x, x1 + pairs + j + 1 * L),
                    e1.fma(FloatVector.fromArray(F, x, x1 + j + 1 * L), a11));
            a12 = d2.fma(FloatVector.fromArray(F, x, x1 + pairs + j + 2 * L),
                    e2.fma(FloatVector.fromArray(F, x, x1 + j + 2 * L), a12));
            a13 = d3.fma(FloatVector.fromArray(F, x, x1 + pairs + j + 3 * L),
                    e3.fma(FloatVector.fromArray(F, x, x1 + j + 3 * L), a13));
            a20 = d0.fma(FloatVector.fromArray(F, x, x2 + pairs + j + 0 * L),
                    e0.fma(FloatVector.fromArray(F, x, x2 + j + 0 * L), a20));
            a21 = d1.fma(FloatVector.fromArray(F, x, x2 + pairs + j + 1 * L),
                    e1.fma(FloatVector.fromArray(F, x, x2 + j + 1 * L), a21));
            a22 = d2.fma(FloatVector.fromArray(F, x, x2 + pairs + j + 2 * L),
                    e2.fma(FloatVector.fromArray(F, x, x2 + j + 2 * L), a22));
            a23 = d3.fma(FloatVector.fromArray(F, x, x2 + pairs + j + 3 * L),
                    e3.fma(FloatVector.fromArray(F, x, x2 + j + 3 * L), a23));
            a30 = d0.fma(FloatVector.fromArray(F, x, x3 + pairs + j + 0 * L),
                    e0.fma(FloatVector.fromArray(F, x, x3 + j + 0 * L), a30));
            a31 = d1.fma(FloatVector.fromArray(F, x, x3 + pairs + j + 1 * L),
                    e1.fma(FloatVector.fromArray(F, x, x3 + j + 1 * L), a31));
            a32 = d2.fma(FloatVector.fromArray(F, x, x3 + pairs + j + 2 * L),
                    e2.fma(FloatVector.fromArray(F, x, x3 + j + 2 * L), a32));
            a33 = d3.fma(FloatVector.fromArray(F, x, x3 + pairs + j + 3 * L),
                    e3.fma(FloatVector.fromArray(F, x, x3 + j + 3 * L), a33));
        }
        for (; j < pv; j += L) {
            IntVector v = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2, LE);
            FloatVector e = v.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d = v.and(0xFFFF0000).reinterpretAsFloats();
            a00 = d.fma(FloatVector.fromArray(F, x, x0 + pairs + j), e.fma(FloatVector.fromArray(F, x, x0 + j), a00));
            a10 = d.fma(FloatVector.fromArray(F, x, x1 + pairs + j), e.fma(FloatVector.fromArray(F, x, x1 + j), a10));
            a20 = d.fma(FloatVector.fromArray(F, x, x2 + pairs + j), e.fma(FloatVector.fromArray(F, x, x2 + j), a20));
            a30 = d.fma(FloatVector.fromArray(F, x, x3 + pairs + j), e.fma(FloatVector.fromArray(F, x, x3 + j), a30));
        }
        // lanes out to memory, each sum then added up lane after lane: the same bits compiled or interpreted
        // (reduceLanes' order is the implementation's: C2 adds a tree, the Java fallback in order)
        int lanes = at + 4;
        a00.add(a01).add(a02.add(a03)).intoArray(sums, lanes + 0 * L);
        a10.add(a11).add(a12.add(a13)).intoArray(sums, lanes + 1 * L);
        a20.add(a21).add(a22.add(a23)).intoArray(sums, lanes + 2 * L);
        a30.add(a31).add(a32.add(a33)).intoArray(sums, lanes + 3 * L);
        for (int r = 0; r < 4; r++) {
            sums[at + r] = Bf16Matvec.addRest(ws, w0, x, xa + r * k, k, j, sumLanes(sums, lanes + r * L));
        }
    }

    /** a[from] + a[from + 1] + … + a[from + L - 1], in that order. */
    static float sumLanes(float[] a, int from) {
        float s = 0f;
        for (int i = 0; i < L; i++) {
            s += a[from + i];
        }
        return s;
    }
}
