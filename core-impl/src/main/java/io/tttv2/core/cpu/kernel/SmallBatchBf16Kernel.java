package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.I;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * 2 rows of x against 2 BF16 rows of w read in place: the small-batch block of {@link MatmulKernel} (a served
 * decode step of a few sequences, a short prompt chunk). Each int vector of w is widened once into its even and
 * odd halves (see {@link SplitOrder}) and feeds both rows of x; each vector of x feeds both rows of w.
 *
 * <p>Every accumulator sums in {@link Bf16Matvec}'s order (vector q of each group of 4 into accumulator q, even
 * term then odd term; the vectors past the last group into accumulator 0; (a0 + a1) + (a2 + a3) and its lanes
 * added in order; then the same scalar rest), so a row of x gets the same bits whether it is computed alone or
 * in a block: a sequence's logits do not depend on its batch.
 *
 * <p>The whole loop is one static method: no vector crosses a call (see {@link Lanes}).
 */
final class SmallBatchBf16Kernel {

    private static final int L = Lanes.L;

    private SmallBatchBf16Kernel() {
    }

    /**
     * sums[at + 2·r + i] = row r of x · row i of w, for r, i in 0..1: 2 rows of x (from {@code xa} and {@code xb})
     * against the BF16 rows of w at element offsets {@code w0} and {@code w1} of ws. Each widened weight vector
     * feeds both rows of x and each x vector both rows of w, so per 8 FMAs 2 vectors of w and 4 of x are read,
     * where 4 rows of x against one row of w (the block before this one) read 1 of w and 8 of x: at M = 8 and
     * K = 2048 rows of x fill 64 KiB and come from L2 for every row of w, and 8 loads of x per 8 FMAs held the
     * 1B's MLP near a third of the FMA peak.
     * 16 accumulators (4 along K per row of x and row of w, in {@link Bf16Matvec}'s order), 4 widened weight
     * vectors and 4 of x: 24 of AVX-512's 32 registers.
     *
     * @param sums out: [4] from {@code at}, then [4, L] of scratch
     */
    static void block2x2(MemorySegment ws, long w0, long w1, float[] x, int xa, int xb, int k, float[] sums, int at) {
        int pairs = k / 2;
        int pv = F.loopBound(pairs);
        int pg = pairs - pairs % (4 * L);
        FloatVector z = FloatVector.zero(F);
        FloatVector a000 = z, a001 = z, a002 = z, a003 = z,
                a010 = z, a011 = z, a012 = z, a013 = z,
                a100 = z, a101 = z, a102 = z, a103 = z,
                a110 = z, a111 = z, a112 = z, a113 = z;
        int j = 0;
        for (; j < pg; j += 4 * L) {
            long o0 = (w0 + 2L * j) * 2;
            long o1 = (w1 + 2L * j) * 2;
            // vector 0 of the group: accumulators ..0
            IntVector u0 = IntVector.fromMemorySegment(I, ws, o0 + 0 * 4 * L, LE);
            IntVector v0 = IntVector.fromMemorySegment(I, ws, o1 + 0 * 4 * L, LE);
            FloatVector e00 = u0.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d00 = u0.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector e10 = v0.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d10 = v0.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector xe00 = FloatVector.fromArray(F, x, xa + j + 0 * L);
            FloatVector xd00 = FloatVector.fromArray(F, x, xa + pairs + j + 0 * L);
            a000 = d00.fma(xd00, e00.fma(xe00, a000));
            a010 = d10.fma(xd00, e10.fma(xe00, a010));
            FloatVector xe10 = FloatVector.fromArray(F, x, xb + j + 0 * L);
            FloatVector xd10 = FloatVector.fromArray(F, x, xb + pairs + j + 0 * L);
            a100 = d00.fma(xd10, e00.fma(xe10, a100));
            a110 = d10.fma(xd10, e10.fma(xe10, a110));
            // vector 1 of the group: accumulators ..1
            IntVector u1 = IntVector.fromMemorySegment(I, ws, o0 + 1 * 4 * L, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, o1 + 1 * 4 * L, LE);
            FloatVector e01 = u1.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d01 = u1.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector e11 = v1.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d11 = v1.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector xe01 = FloatVector.fromArray(F, x, xa + j + 1 * L);
            FloatVector xd01 = FloatVector.fromArray(F, x, xa + pairs + j + 1 * L);
            a001 = d01.fma(xd01, e01.fma(xe01, a001));
            a011 = d11.fma(xd01, e11.fma(xe01, a011));
            FloatVector xe11 = FloatVector.fromArray(F, x, xb + j + 1 * L);
            FloatVector xd11 = FloatVector.fromArray(F, x, xb + pairs + j + 1 * L);
            a101 = d01.fma(xd11, e01.fma(xe11, a101));
            a111 = d11.fma(xd11, e11.fma(xe11, a111));
            // vector 2 of the group: accumulators ..2
            IntVector u2 = IntVector.fromMemorySegment(I, ws, o0 + 2 * 4 * L, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, o1 + 2 * 4 * L, LE);
            FloatVector e02 = u2.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d02 = u2.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector e12 = v2.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d12 = v2.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector xe02 = FloatVector.fromArray(F, x, xa + j + 2 * L);
            FloatVector xd02 = FloatVector.fromArray(F, x, xa + pairs + j + 2 * L);
            a002 = d02.fma(xd02, e02.fma(xe02, a002));
            a012 = d12.fma(xd02, e12.fma(xe02, a012));
            FloatVector xe12 = FloatVector.fromArray(F, x, xb + j + 2 * L);
            FloatVector xd12 = FloatVector.fromArray(F, x, xb + pairs + j + 2 * L);
            a102 = d02.fma(xd12, e02.fma(xe12, a102));
            a112 = d12.fma(xd12, e12.fma(xe12, a112));
            // vector 3 of the group: accumulators ..3
            IntVector u3 = IntVector.fromMemorySegment(I, ws, o0 + 3 * 4 * L, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, o1 + 3 * 4 * L, LE);
            FloatVector e03 = u3.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d03 = u3.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector e13 = v3.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d13 = v3.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector xe03 = FloatVector.fromArray(F, x, xa + j + 3 * L);
            FloatVector xd03 = FloatVector.fromArray(F, x, xa + pairs + j + 3 * L);
            a003 = d03.fma(xd03, e03.fma(xe03, a003));
            a013 = d13.fma(xd03, e13.fma(xe03, a013));
            FloatVector xe13 = FloatVector.fromArray(F, x, xb + j + 3 * L);
            FloatVector xd13 = FloatVector.fromArray(F, x, xb + pairs + j + 3 * L);
            a103 = d03.fma(xd13, e03.fma(xe13, a103));
            a113 = d13.fma(xd13, e13.fma(xe13, a113));
        }
        for (; j < pv; j += L) {
            IntVector u = IntVector.fromMemorySegment(I, ws, (w0 + 2L * j) * 2, LE);
            IntVector v = IntVector.fromMemorySegment(I, ws, (w1 + 2L * j) * 2, LE);
            FloatVector e0 = u.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d0 = u.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector e1 = v.lanewise(LSHL, 16).reinterpretAsFloats();
            FloatVector d1 = v.and(0xFFFF0000).reinterpretAsFloats();
            FloatVector xe0 = FloatVector.fromArray(F, x, xa + j);
            FloatVector xd0 = FloatVector.fromArray(F, x, xa + pairs + j);
            FloatVector xe1 = FloatVector.fromArray(F, x, xb + j);
            FloatVector xd1 = FloatVector.fromArray(F, x, xb + pairs + j);
            a000 = d0.fma(xd0, e0.fma(xe0, a000));
            a010 = d1.fma(xd0, e1.fma(xe0, a010));
            a100 = d0.fma(xd1, e0.fma(xe1, a100));
            a110 = d1.fma(xd1, e1.fma(xe1, a110));
        }
        // lanes out to memory, each sum then added up lane after lane: the same bits compiled or interpreted
        // (reduceLanes' order is the implementation's: C2 adds a tree, the Java fallback in order)
        int lanes = at + 4;
        a000.add(a001).add(a002.add(a003)).intoArray(sums, lanes + 0 * L);
        a010.add(a011).add(a012.add(a013)).intoArray(sums, lanes + 1 * L);
        a100.add(a101).add(a102.add(a103)).intoArray(sums, lanes + 2 * L);
        a110.add(a111).add(a112.add(a113)).intoArray(sums, lanes + 3 * L);
        sums[at] = Bf16Matvec.addRest(ws, w0, x, xa, k, j, sumLanes(sums, lanes));
        sums[at + 1] = Bf16Matvec.addRest(ws, w1, x, xa, k, j, sumLanes(sums, lanes + L));
        sums[at + 2] = Bf16Matvec.addRest(ws, w0, x, xb, k, j, sumLanes(sums, lanes + 2 * L));
        sums[at + 3] = Bf16Matvec.addRest(ws, w1, x, xb, k, j, sumLanes(sums, lanes + 3 * L));
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
