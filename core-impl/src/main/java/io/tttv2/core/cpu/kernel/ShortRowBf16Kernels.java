package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.I;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * The BF16 in-place loops for short rows of w (K &lt; {@value #MAX_K}): 4 rows of w side by side, one accumulator
 * per row of x and row of w, each weight vector widened into its even and odd halves (see {@link SplitOrder}).
 * Why short rows differ from {@link Bf16Matvec}: a model with such rows is small (kjv-tiny: K 256 and 704, 13 MB),
 * its weights stay in cache from one token to the next, and a row of w is only a few vectors long, so per-row
 * work decides, not the memory stream: Bf16Matvec's 4 accumulators per row made kjv-tiny decode ≈ 0.7× as fast.
 *
 * <p>One order for every M (so a row's bits do not depend on its batch): per lane the even term, then the odd
 * term, pair after pair; the lanes added in {@link LaneTree}'s order (a row of w is only K/32 vectors long, so
 * adding its 16 lanes one by one cost as much as its FMAs); then the pairs past the last whole vector and the
 * last element of an odd K as scalars. {@link #rows4} takes one row of x,
 * {@link #block4x4} four. Each loop is one static method: no vector crosses a call (see {@link Lanes}).
 */
final class ShortRowBf16Kernels {

    /** Rows of w shorter than this take these loops; from here on {@link Bf16Matvec} and its small-batch twin. */
    static final int MAX_K = 1024;

    private static final int L = Lanes.L;

    private ShortRowBf16Kernels() {
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
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0; j < pv; j += L) {
            FloatVector even = FloatVector.fromArray(F, x, xa + j);
            FloatVector odd = FloatVector.fromArray(F, x, xa + pairs + j);
            IntVector v0 = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, (w1 + 2L * j) * 2, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, (w2 + 2L * j) * 2, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, (w3 + 2L * j) * 2, LE);
            a0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a0);
            a1 = v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a1);
            a2 = v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a2);
            a3 = v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a3);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a0);
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a1);
            a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a2);
            a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a3);
        }
        if (L == 16) {
            // AVX-512: LaneTree's tree in registers, the 4 sums into lanes 0..3 (the other lanes, written over
            // the scratch, repeat partial sums)
            FloatVector[] lo = LaneTree.LOW;
            FloatVector[] hi = LaneTree.HIGH;
            FloatVector b0 = lo[0].selectFrom(a0, a1).add(hi[0].selectFrom(a0, a1));
            FloatVector b1 = lo[0].selectFrom(a2, a3).add(hi[0].selectFrom(a2, a3));
            FloatVector c = lo[1].selectFrom(b0, b1).add(hi[1].selectFrom(b0, b1));
            c = lo[2].selectFrom(c, c).add(hi[2].selectFrom(c, c));
            lo[3].selectFrom(c, c).add(hi[3].selectFrom(c, c)).intoArray(sums, at);
        } else {
            int lanes = at + 4;
            a0.intoArray(sums, lanes);
            a1.intoArray(sums, lanes + L);
            a2.intoArray(sums, lanes + 2 * L);
            a3.intoArray(sums, lanes + 3 * L);
            LaneTree.sum4(sums, lanes, sums, at);
        }
        if (pv < pairs || (k & 1) != 0) {
            sums[at] = Bf16Matvec.addRest(ws, w0, x, xa, k, pv, sums[at]);
            sums[at + 1] = Bf16Matvec.addRest(ws, w1, x, xa, k, pv, sums[at + 1]);
            sums[at + 2] = Bf16Matvec.addRest(ws, w2, x, xa, k, pv, sums[at + 2]);
            sums[at + 3] = Bf16Matvec.addRest(ws, w3, x, xa, k, pv, sums[at + 3]);
        }
    }

    /**
     * sums[at + 4·r + j] = row r of x · row j of w, for r, j in 0..3.
     *
     * @param ws     the weight memory, BF16
     * @param w0     element offset of weight row 0 (w1..w3 likewise; a partial block may repeat a row)
     * @param x      rows of x in split order, [4, K] from {@code xa} (row r at xa + r·K)
     * @param k      K
     * @param sums   out: [16] from {@code at}, then [16, L] of scratch
     */
    static void block4x4(MemorySegment ws, long w0, long w1, long w2, long w3, float[] x, int xa, int k,
                         float[] sums, int at) {
        int pairs = k / 2;
        int pv = F.loopBound(pairs);
        int x0 = xa;
        int x1 = xa + k;
        int x2 = xa + 2 * k;
        int x3 = xa + 3 * k;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z;
        FloatVector a30 = z, a31 = z, a32 = z, a33 = z;
        for (int j = 0; j < pv; j += L) {
            IntVector v0 = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, (w1 + 2L * j) * 2, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, (w2 + 2L * j) * 2, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, (w3 + 2L * j) * 2, LE);
            // [L] even and odd elements of each weight row, as floats
            FloatVector e0 = v0.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector e1 = v1.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector e2 = v2.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector e3 = v3.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector o0 = v0.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector o1 = v1.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector o2 = v2.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector o3 = v3.and(0xFFFF0000).reinterpretAsFloats();

            FloatVector even = FloatVector.fromArray(F, x, x0 + j);
            FloatVector odd = FloatVector.fromArray(F, x, x0 + pairs + j);
            a00 = o0.fma(odd, e0.fma(even, a00));
            a01 = o1.fma(odd, e1.fma(even, a01));
            a02 = o2.fma(odd, e2.fma(even, a02));
            a03 = o3.fma(odd, e3.fma(even, a03));
            even = FloatVector.fromArray(F, x, x1 + j);
            odd = FloatVector.fromArray(F, x, x1 + pairs + j);
            a10 = o0.fma(odd, e0.fma(even, a10));
            a11 = o1.fma(odd, e1.fma(even, a11));
            a12 = o2.fma(odd, e2.fma(even, a12));
            a13 = o3.fma(odd, e3.fma(even, a13));
            even = FloatVector.fromArray(F, x, x2 + j);
            odd = FloatVector.fromArray(F, x, x2 + pairs + j);
            a20 = o0.fma(odd, e0.fma(even, a20));
            a21 = o1.fma(odd, e1.fma(even, a21));
            a22 = o2.fma(odd, e2.fma(even, a22));
            a23 = o3.fma(odd, e3.fma(even, a23));
            even = FloatVector.fromArray(F, x, x3 + j);
            odd = FloatVector.fromArray(F, x, x3 + pairs + j);
            a30 = o0.fma(odd, e0.fma(even, a30));
            a31 = o1.fma(odd, e1.fma(even, a31));
            a32 = o2.fma(odd, e2.fma(even, a32));
            a33 = o3.fma(odd, e3.fma(even, a33));
        }
        if (L == 16) {
            // AVX-512: LaneTree's tree in registers, 16 accumulators into one vector of their 16 sums in
            // 4 levels of pairs (adjacent accumulators first, so the sums come out in a00, a01, .., a33 order)
            FloatVector[] lo = LaneTree.LOW;
            FloatVector[] hi = LaneTree.HIGH;
            FloatVector b0 = lo[0].selectFrom(a00, a01).add(hi[0].selectFrom(a00, a01));
            FloatVector b1 = lo[0].selectFrom(a02, a03).add(hi[0].selectFrom(a02, a03));
            FloatVector b2 = lo[0].selectFrom(a10, a11).add(hi[0].selectFrom(a10, a11));
            FloatVector b3 = lo[0].selectFrom(a12, a13).add(hi[0].selectFrom(a12, a13));
            FloatVector b4 = lo[0].selectFrom(a20, a21).add(hi[0].selectFrom(a20, a21));
            FloatVector b5 = lo[0].selectFrom(a22, a23).add(hi[0].selectFrom(a22, a23));
            FloatVector b6 = lo[0].selectFrom(a30, a31).add(hi[0].selectFrom(a30, a31));
            FloatVector b7 = lo[0].selectFrom(a32, a33).add(hi[0].selectFrom(a32, a33));
            FloatVector c0 = lo[1].selectFrom(b0, b1).add(hi[1].selectFrom(b0, b1));
            FloatVector c1 = lo[1].selectFrom(b2, b3).add(hi[1].selectFrom(b2, b3));
            FloatVector c2 = lo[1].selectFrom(b4, b5).add(hi[1].selectFrom(b4, b5));
            FloatVector c3 = lo[1].selectFrom(b6, b7).add(hi[1].selectFrom(b6, b7));
            FloatVector d0 = lo[2].selectFrom(c0, c1).add(hi[2].selectFrom(c0, c1));
            FloatVector d1 = lo[2].selectFrom(c2, c3).add(hi[2].selectFrom(c2, c3));
            lo[3].selectFrom(d0, d1).add(hi[3].selectFrom(d0, d1)).intoArray(sums, at);
        } else {
            // lanes out to memory, each accumulator then added up in LaneTree's order: the same bits compiled or
            // interpreted (reduceLanes' order is the implementation's: C2 adds a tree, the Java fallback in order)
            int lanes = at + 16;
            a00.intoArray(sums, lanes);
            a01.intoArray(sums, lanes + L);
            a02.intoArray(sums, lanes + 2 * L);
            a03.intoArray(sums, lanes + 3 * L);
            a10.intoArray(sums, lanes + 4 * L);
            a11.intoArray(sums, lanes + 5 * L);
            a12.intoArray(sums, lanes + 6 * L);
            a13.intoArray(sums, lanes + 7 * L);
            a20.intoArray(sums, lanes + 8 * L);
            a21.intoArray(sums, lanes + 9 * L);
            a22.intoArray(sums, lanes + 10 * L);
            a23.intoArray(sums, lanes + 11 * L);
            a30.intoArray(sums, lanes + 12 * L);
            a31.intoArray(sums, lanes + 13 * L);
            a32.intoArray(sums, lanes + 14 * L);
            a33.intoArray(sums, lanes + 15 * L);
            LaneTree.sum4(sums, lanes, sums, at);
            LaneTree.sum4(sums, lanes + 4 * L, sums, at + 4);
            LaneTree.sum4(sums, lanes + 8 * L, sums, at + 8);
            LaneTree.sum4(sums, lanes + 12 * L, sums, at + 12);
        }
        if (pv == pairs && (k & 1) == 0) {
            return;
        }
        // the scalar rest: pairs past the last whole vector, then the last element of an odd K
        for (int r = 0; r < 4; r++) {
            int xr = xa + r * k;
            int sr = at + 4 * r;
            sums[sr] = Bf16Matvec.addRest(ws, w0, x, xr, k, pv, sums[sr]);
            sums[sr + 1] = Bf16Matvec.addRest(ws, w1, x, xr, k, pv, sums[sr + 1]);
            sums[sr + 2] = Bf16Matvec.addRest(ws, w2, x, xr, k, pv, sums[sr + 2]);
            sums[sr + 3] = Bf16Matvec.addRest(ws, w3, x, xr, k, pv, sums[sr + 3]);
        }
    }
}
