package io.tttv2.core.cpu.bench;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.I;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;

import io.tttv2.core.cpu.WorkerPool;
import io.tttv2.core.cpu.kernel.Lanes;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Candidate BF16 matrix–vector loops (M = 1, w [N, K] BF16 row-major, x [K] in split order), for ranking
 * against MatmulKernel's decode loop and a plain sum; K is a multiple of 2·L·unroll here. Each is one
 * static loop (no vector crosses a call). out[n] only; sums in whatever order the variant takes.
 */
final class Bf16MatvecVariants implements WorkerPool.RangeBody {

    private static final int L = Lanes.L;

    final String variant;
    MemorySegment ws;
    long wBase;       // byte offset of row 0
    int k;
    float[] x;        // [K] split order
    float[] out;

    Bf16MatvecVariants(String variant) {
        this.variant = variant;
    }

    @Override
    public void run(int from, int to) {
        switch (variant) {
            case "r4" -> { for (int c = from; c < to; c += 4) r4(c); }
            case "r4u2" -> { for (int c = from; c < to; c += 4) r4u2(c); }
            case "r2u2" -> { for (int c = from; c < to; c += 2) r2u2(c); }
            case "r8" -> { for (int c = from; c < to; c += 8) r8(c); }
            case "r1u4" -> { for (int c = from; c < to; c++) r1u4(c); }
            case "r1u4s" -> segmented(from, to, 16, 2048);
            case "r8i4" -> { for (int c = from; c < to; c += 8) r8i4(c); }
            case "r1u4s8" -> segmented(from, to, 8, 2048);
            case "r1u4s32" -> segmented(from, to, 32, 2048);
            case "r1u4s16h" -> segmented(from, to, 16, 1024);
            case "r1u4s32h" -> segmented(from, to, 32, 1024);
            case "r4t" -> { for (int c = from; c < to; c += 4) r4t(c, 1024); }
            case "r4t512" -> { for (int c = from; c < to; c += 4) r4t(c, 512); }
            case "r4t2048" -> { for (int c = from; c < to; c += 4) r4t(c, 2048); }
            case "r4i4" -> { for (int c = from; c < to; c += 4) r4i4(c); }
            case "r2i4" -> { for (int c = from; c < to; c += 2) r2i4(c); }
            case "r1u4x" -> { for (int c = from; c < to; c++) r1u4x(c); }
            case "r1u8" -> { for (int c = from; c < to; c++) r1u8(c); }
            case "r1u2" -> { for (int c = from; c < to; c++) r1u2(c); }
            case "r2u4" -> { for (int c = from; c < to; c += 2) { r1u4(c); r1u4(c + 1); } }
            case "sum" -> out[from] = sum(wBase + from * 2L * k, (to - from) * 2L * k);
            default -> throw new IllegalArgumentException(variant);
        }
    }

    private float sum(long at, long bytes) {
        int step = L * 4;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (long b = at; b < at + bytes; b += 4L * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, ws, b, LE));
            a1 = a1.add(FloatVector.fromMemorySegment(F, ws, b + step, LE));
            a2 = a2.add(FloatVector.fromMemorySegment(F, ws, b + 2L * step, LE));
            a3 = a3.add(FloatVector.fromMemorySegment(F, ws, b + 3L * step, LE));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }

    private void r4(int c) {
        int pairs = k / 2;
        long rb = 2L * k;
        long w0 = wBase + c * rb, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0; j < pairs; j += L) {
            FloatVector even = FloatVector.fromArray(F, x, j);
            FloatVector odd = FloatVector.fromArray(F, x, pairs + j);
            IntVector v0 = IntVector.fromMemorySegment(I, ws, w0 + 4L * j, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, w1 + 4L * j, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, w2 + 4L * j, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, w3 + 4L * j, LE);
            a0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a0);
            a1 = v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a1);
            a2 = v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a2);
            a3 = v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a3);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a0);
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a1);
            a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a2);
            a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a3);
        }
        out[c] = a0.reduceLanes(VectorOperators.ADD);
        out[c + 1] = a1.reduceLanes(VectorOperators.ADD);
        out[c + 2] = a2.reduceLanes(VectorOperators.ADD);
        out[c + 3] = a3.reduceLanes(VectorOperators.ADD);
    }

    private void r4u2(int c) {
        int pairs = k / 2;
        long rb = 2L * k;
        long w0 = wBase + c * rb, w1 = w0 + rb, w2 = w1 + rb, w3 = w2 + rb;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (int j = 0; j < pairs; j += 2 * L) {
            FloatVector even = FloatVector.fromArray(F, x, j);
            FloatVector odd = FloatVector.fromArray(F, x, pairs + j);
            FloatVector even2 = FloatVector.fromArray(F, x, j + L);
            FloatVector odd2 = FloatVector.fromArray(F, x, pairs + j + L);
            IntVector v0 = IntVector.fromMemorySegment(I, ws, w0 + 4L * j, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, w1 + 4L * j, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, w2 + 4L * j, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, w3 + 4L * j, LE);
            IntVector u0 = IntVector.fromMemorySegment(I, ws, w0 + 4L * j + 4 * L, LE);
            IntVector u1 = IntVector.fromMemorySegment(I, ws, w1 + 4L * j + 4 * L, LE);
            IntVector u2 = IntVector.fromMemorySegment(I, ws, w2 + 4L * j + 4 * L, LE);
            IntVector u3 = IntVector.fromMemorySegment(I, ws, w3 + 4L * j + 4 * L, LE);
            a0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a0);
            a1 = v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a1);
            a2 = v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a2);
            a3 = v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a3);
            b0 = u0.lanewise(LSHL, 16).reinterpretAsFloats().fma(even2, b0);
            b1 = u1.lanewise(LSHL, 16).reinterpretAsFloats().fma(even2, b1);
            b2 = u2.lanewise(LSHL, 16).reinterpretAsFloats().fma(even2, b2);
            b3 = u3.lanewise(LSHL, 16).reinterpretAsFloats().fma(even2, b3);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a0);
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a1);
            a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a2);
            a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a3);
            b0 = u0.and(0xFFFF0000).reinterpretAsFloats().fma(odd2, b0);
            b1 = u1.and(0xFFFF0000).reinterpretAsFloats().fma(odd2, b1);
            b2 = u2.and(0xFFFF0000).reinterpretAsFloats().fma(odd2, b2);
            b3 = u3.and(0xFFFF0000).reinterpretAsFloats().fma(odd2, b3);
        }
        out[c] = a0.add(b0).reduceLanes(VectorOperators.ADD);
        out[c + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD);
        out[c + 2] = a2.add(b2).reduceLanes(VectorOperators.ADD);
        out[c + 3] = a3.add(b3).reduceLanes(VectorOperators.ADD);
    }

    private void r2u2(int c) {
        int pairs = k / 2;
        long rb = 2L * k;
        long w0 = wBase + c * rb, w1 = w0 + rb;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, b0 = a0, b1 = a0;
        for (int j = 0; j < pairs; j += 2 * L) {
            FloatVector even = FloatVector.fromArray(F, x, j);
            FloatVector odd = FloatVector.fromArray(F, x, pairs + j);
            FloatVector even2 = FloatVector.fromArray(F, x, j + L);
            FloatVector odd2 = FloatVector.fromArray(F, x, pairs + j + L);
            IntVector v0 = IntVector.fromMemorySegment(I, ws, w0 + 4L * j, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, w1 + 4L * j, LE);
            IntVector u0 = IntVector.fromMemorySegment(I, ws, w0 + 4L * j + 4 * L, LE);
            IntVector u1 = IntVector.fromMemorySegment(I, ws, w1 + 4L * j + 4 * L, LE);
            a0 = v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a0);
            a1 = v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a1);
            b0 = u0.lanewise(LSHL, 16).reinterpretAsFloats().fma(even2, b0);
            b1 = u1.lanewise(LSHL, 16).reinterpretAsFloats().fma(even2, b1);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a0);
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(odd, a1);
            b0 = u0.and(0xFFFF0000).reinterpretAsFloats().fma(odd2, b0);
            b1 = u1.and(0xFFFF0000).reinterpretAsFloats().fma(odd2, b1);
        }
        out[c] = a0.add(b0).reduceLanes(VectorOperators.ADD);
        out[c + 1] = a1.add(b1).reduceLanes(VectorOperators.ADD);
    }

    private void r8(int c) {
        int pairs = k / 2;
        long rb = 2L * k;
        long w0 = wBase + c * rb;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int j = 0; j < pairs; j += L) {
            FloatVector even = FloatVector.fromArray(F, x, j);
            FloatVector odd = FloatVector.fromArray(F, x, pairs + j);
            long o = w0 + 4L * j;
            IntVector v0 = IntVector.fromMemorySegment(I, ws, o, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, o + rb, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, o + 2 * rb, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, o + 3 * rb, LE);
            IntVector v4 = IntVector.fromMemorySegment(I, ws, o + 4 * rb, LE);
            IntVector v5 = IntVector.fromMemorySegment(I, ws, o + 5 * rb, LE);
            IntVector v6 = IntVector.fromMemorySegment(I, ws, o + 6 * rb, LE);
            IntVector v7 = IntVector.fromMemorySegment(I, ws, o + 7 * rb, LE);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(odd, v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a0));
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(odd, v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a1));
            a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(odd, v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a2));
            a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(odd, v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a3));
            a4 = v4.and(0xFFFF0000).reinterpretAsFloats().fma(odd, v4.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a4));
            a5 = v5.and(0xFFFF0000).reinterpretAsFloats().fma(odd, v5.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a5));
            a6 = v6.and(0xFFFF0000).reinterpretAsFloats().fma(odd, v6.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a6));
            a7 = v7.and(0xFFFF0000).reinterpretAsFloats().fma(odd, v7.lanewise(LSHL, 16).reinterpretAsFloats().fma(even, a7));
        }
        out[c] = a0.reduceLanes(VectorOperators.ADD);
        out[c + 1] = a1.reduceLanes(VectorOperators.ADD);
        out[c + 2] = a2.reduceLanes(VectorOperators.ADD);
        out[c + 3] = a3.reduceLanes(VectorOperators.ADD);
        out[c + 4] = a4.reduceLanes(VectorOperators.ADD);
        out[c + 5] = a5.reduceLanes(VectorOperators.ADD);
        out[c + 6] = a6.reduceLanes(VectorOperators.ADD);
        out[c + 7] = a7.reduceLanes(VectorOperators.ADD);
    }

    private void r1u4(int c) {
        int pairs = k / 2;
        long w0 = wBase + c * 2L * k;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0; j < pairs; j += 4 * L) {
            long o = w0 + 4L * j;
            IntVector v0 = IntVector.fromMemorySegment(I, ws, o, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, o + 4 * L, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, o + 8 * L, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, o + 12 * L, LE);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j),
                    v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j), a0));
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + L),
                    v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + L), a1));
            a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 2 * L),
                    v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 2 * L), a2));
            a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 3 * L),
                    v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 3 * L), a3));
        }
        out[c] = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }

    /** Row accumulators [rows, 4, L] of {@link #segmented}, per thread. */
    private static final ThreadLocal<float[]> ACC = ThreadLocal.withInitial(() -> new float[64 * 4 * 16]);

    /**
     * Tiles of {@code tile} rows, each read in K segments of {@code segPairs} pairs (x's segment, 8·segPairs bytes,
     * stays in L1 across the tile's rows), one row at a time with 4 accumulators (r1u4's order: a row's
     * accumulators are stored between segments, so its sum is r1u4's bit for bit).
     */
    private void segmented(int from, int to, int tile, int segPairs) {
        float[] acc = ACC.get();
        int pairs = k / 2;
        for (int c = from; c < to; c += tile) {
            int rows = Math.min(tile, to - c);
            java.util.Arrays.fill(acc, 0, rows * 4 * L, 0f);
            for (int s = 0; s < pairs; s += segPairs) {
                int end = Math.min(pairs, s + segPairs);
                for (int r = 0; r < rows; r++) {
                    segment(wBase + (c + r) * 2L * k, s, end, acc, r * 4 * L);
                }
            }
            for (int r = 0; r < rows; r++) {
                int a = r * 4 * L;
                out[c + r] = FloatVector.fromArray(F, acc, a).add(FloatVector.fromArray(F, acc, a + L))
                        .add(FloatVector.fromArray(F, acc, a + 2 * L).add(FloatVector.fromArray(F, acc, a + 3 * L)))
                        .reduceLanes(VectorOperators.ADD);
            }
        }
    }

    private void segment(long w0, int from, int to, float[] acc, int at) {
        int pairs = k / 2;
        FloatVector a0 = FloatVector.fromArray(F, acc, at);
        FloatVector a1 = FloatVector.fromArray(F, acc, at + L);
        FloatVector a2 = FloatVector.fromArray(F, acc, at + 2 * L);
        FloatVector a3 = FloatVector.fromArray(F, acc, at + 3 * L);
        for (int j = from; j < to; j += 4 * L) {
            long o = w0 + 4L * j;
            IntVector v0 = IntVector.fromMemorySegment(I, ws, o, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, o + 4 * L, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, o + 8 * L, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, o + 12 * L, LE);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j),
                    v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j), a0));
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + L),
                    v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + L), a1));
            a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 2 * L),
                    v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 2 * L), a2));
            a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 3 * L),
                    v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 3 * L), a3));
        }
        a0.intoArray(acc, at);
        a1.intoArray(acc, at + L);
        a2.intoArray(acc, at + 2 * L);
        a3.intoArray(acc, at + 3 * L);
    }

    private void r1u2(int c) {
        int pairs = k / 2;
        long w0 = wBase + c * 2L * k;
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int j = 0; j < pairs; j += 2 * L) {
            long o = w0 + 4L * j;
            IntVector v0 = IntVector.fromMemorySegment(I, ws, o, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, o + 4 * L, LE);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j),
                    v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j), a0));
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + L),
                    v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + L), a1));
        }
        out[c] = a0.add(a1).reduceLanes(VectorOperators.ADD);
    }

    private void r1u8(int c) {
        int pairs = k / 2;
        long w0 = wBase + c * 2L * k;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int j = 0; j < pairs; j += 8 * L) {
            long o = w0 + 4L * j;
            IntVector v0 = IntVector.fromMemorySegment(I, ws, o, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, o + 4 * L, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, o + 8 * L, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, o + 12 * L, LE);
            IntVector v4 = IntVector.fromMemorySegment(I, ws, o + 16 * L, LE);
            IntVector v5 = IntVector.fromMemorySegment(I, ws, o + 20 * L, LE);
            IntVector v6 = IntVector.fromMemorySegment(I, ws, o + 24 * L, LE);
            IntVector v7 = IntVector.fromMemorySegment(I, ws, o + 28 * L, LE);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j),
                    v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j), a0));
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + L),
                    v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + L), a1));
            a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 2 * L),
                    v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 2 * L), a2));
            a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 3 * L),
                    v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 3 * L), a3));
            a4 = v4.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 4 * L),
                    v4.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 4 * L), a4));
            a5 = v5.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 5 * L),
                    v5.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 5 * L), a5));
            a6 = v6.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 6 * L),
                    v6.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 6 * L), a6));
            a7 = v7.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 7 * L),
                    v7.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 7 * L), a7));
        }
        out[c] = a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).reduceLanes(VectorOperators.ADD);
    }

    private final float[] acc = new float[16 * L];
    /** Pairs per K-tile: 1024 pairs = 2048 elements, 8 KiB of x in split order (even and odd halves). */
    private static final int TILE = 1024;

    /** 4 rows, each as r1u4 over a K-tile before the next row; the 4 rows' accumulators wait in memory. */
    private void r4t(int c, int tile) {
        int pairs = k / 2;
        long rb = 2L * k;
        java.util.Arrays.fill(acc, 0f);
        for (int t = 0; t < pairs; t += tile) {
            int end = Math.min(pairs, t + tile);
            for (int r = 0; r < 4; r++) {
                long w0 = wBase + (c + r) * rb;
                int ab = r * 4 * L;
                FloatVector a0 = FloatVector.fromArray(F, acc, ab), a1 = FloatVector.fromArray(F, acc, ab + L);
                FloatVector a2 = FloatVector.fromArray(F, acc, ab + 2 * L), a3 = FloatVector.fromArray(F, acc, ab + 3 * L);
                for (int j = t; j < end; j += 4 * L) {
                    long o = w0 + 4L * j;
                    IntVector v0 = IntVector.fromMemorySegment(I, ws, o, LE);
                    IntVector v1 = IntVector.fromMemorySegment(I, ws, o + 4 * L, LE);
                    IntVector v2 = IntVector.fromMemorySegment(I, ws, o + 8 * L, LE);
                    IntVector v3 = IntVector.fromMemorySegment(I, ws, o + 12 * L, LE);
                    a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j),
                            v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j), a0));
                    a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + L),
                            v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + L), a1));
                    a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 2 * L),
                            v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 2 * L), a2));
                    a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, pairs + j + 3 * L),
                            v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, j + 3 * L), a3));
                }
                a0.intoArray(acc, ab);
                a1.intoArray(acc, ab + L);
                a2.intoArray(acc, ab + 2 * L);
                a3.intoArray(acc, ab + 3 * L);
            }
        }
        for (int r = 0; r < 4; r++) {
            int ab = r * 4 * L;
            out[c + r] = FloatVector.fromArray(F, acc, ab).add(FloatVector.fromArray(F, acc, ab + L))
                    .add(FloatVector.fromArray(F, acc, ab + 2 * L).add(FloatVector.fromArray(F, acc, ab + 3 * L)))
                    .reduceLanes(VectorOperators.ADD);
        }
    }

    private void r2i4(int c) {
        int pairs = k / 2;
        long w0 = wBase + (c + 0) * 2L * k;
        long w1 = wBase + (c + 1) * 2L * k;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        for (int j = 0; j < pairs; j += 4 * L) {
            long o0 = w0 + 4L * j;
            long o1 = w1 + 4L * j;
            FloatVector e0 = FloatVector.fromArray(F, x, j + 0 * L), d0 = FloatVector.fromArray(F, x, pairs + j + 0 * L);
            FloatVector e1 = FloatVector.fromArray(F, x, j + 1 * L), d1 = FloatVector.fromArray(F, x, pairs + j + 1 * L);
            FloatVector e2 = FloatVector.fromArray(F, x, j + 2 * L), d2 = FloatVector.fromArray(F, x, pairs + j + 2 * L);
            FloatVector e3 = FloatVector.fromArray(F, x, j + 3 * L), d3 = FloatVector.fromArray(F, x, pairs + j + 3 * L);
            IntVector v00 = IntVector.fromMemorySegment(I, ws, o0 + 0 * 4 * L, LE);
            a00 = v00.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v00.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a00));
            IntVector v01 = IntVector.fromMemorySegment(I, ws, o0 + 1 * 4 * L, LE);
            a01 = v01.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v01.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a01));
            IntVector v02 = IntVector.fromMemorySegment(I, ws, o0 + 2 * 4 * L, LE);
            a02 = v02.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v02.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a02));
            IntVector v03 = IntVector.fromMemorySegment(I, ws, o0 + 3 * 4 * L, LE);
            a03 = v03.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v03.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a03));
            IntVector v10 = IntVector.fromMemorySegment(I, ws, o1 + 0 * 4 * L, LE);
            a10 = v10.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v10.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a10));
            IntVector v11 = IntVector.fromMemorySegment(I, ws, o1 + 1 * 4 * L, LE);
            a11 = v11.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v11.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a11));
            IntVector v12 = IntVector.fromMemorySegment(I, ws, o1 + 2 * 4 * L, LE);
            a12 = v12.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v12.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a12));
            IntVector v13 = IntVector.fromMemorySegment(I, ws, o1 + 3 * 4 * L, LE);
            a13 = v13.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v13.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a13));
        }
        out[c + 0] = a00.add(a01).add(a02.add(a03)).reduceLanes(VectorOperators.ADD);
        out[c + 1] = a10.add(a11).add(a12.add(a13)).reduceLanes(VectorOperators.ADD);
    }

    /** Diagnostic: r1u4 reading only the first 1024 pairs of x over and over (x always in L1). */
    private void r1u4x(int c) {
        int pairs = k / 2;
        long w0 = wBase + c * 2L * k;
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        for (int j = 0; j < pairs; j += 4 * L) {
            long o = w0 + 4L * j;
            int xj = j & 1023;
            IntVector v0 = IntVector.fromMemorySegment(I, ws, o, LE);
            IntVector v1 = IntVector.fromMemorySegment(I, ws, o + 4 * L, LE);
            IntVector v2 = IntVector.fromMemorySegment(I, ws, o + 8 * L, LE);
            IntVector v3 = IntVector.fromMemorySegment(I, ws, o + 12 * L, LE);
            a0 = v0.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, 1024 + xj),
                    v0.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xj), a0));
            a1 = v1.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, 1024 + xj + L),
                    v1.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xj + L), a1));
            a2 = v2.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, 1024 + xj + 2 * L),
                    v2.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xj + 2 * L), a2));
            a3 = v3.and(0xFFFF0000).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, 1024 + xj + 3 * L),
                    v3.lanewise(LSHL, 16).reinterpretAsFloats().fma(FloatVector.fromArray(F, x, xj + 3 * L), a3));
        }
        out[c] = a0.add(a1).add(a2.add(a3)).reduceLanes(VectorOperators.ADD);
    }

    private void r4i4(int c) {
        int pairs = k / 2;
        long w0 = wBase + (c + 0) * 2L * k;
        long w1 = wBase + (c + 1) * 2L * k;
        long w2 = wBase + (c + 2) * 2L * k;
        long w3 = wBase + (c + 3) * 2L * k;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z, a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
        for (int j = 0; j < pairs; j += 4 * L) {
            long o0 = w0 + 4L * j;
            long o1 = w1 + 4L * j;
            long o2 = w2 + 4L * j;
            long o3 = w3 + 4L * j;
            FloatVector e0 = FloatVector.fromArray(F, x, j + 0 * L), d0 = FloatVector.fromArray(F, x, pairs + j + 0 * L);
            FloatVector e1 = FloatVector.fromArray(F, x, j + 1 * L), d1 = FloatVector.fromArray(F, x, pairs + j + 1 * L);
            FloatVector e2 = FloatVector.fromArray(F, x, j + 2 * L), d2 = FloatVector.fromArray(F, x, pairs + j + 2 * L);
            FloatVector e3 = FloatVector.fromArray(F, x, j + 3 * L), d3 = FloatVector.fromArray(F, x, pairs + j + 3 * L);
            IntVector v00 = IntVector.fromMemorySegment(I, ws, o0 + 0 * 4 * L, LE);
            a00 = v00.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v00.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a00));
            IntVector v01 = IntVector.fromMemorySegment(I, ws, o0 + 1 * 4 * L, LE);
            a01 = v01.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v01.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a01));
            IntVector v02 = IntVector.fromMemorySegment(I, ws, o0 + 2 * 4 * L, LE);
            a02 = v02.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v02.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a02));
            IntVector v03 = IntVector.fromMemorySegment(I, ws, o0 + 3 * 4 * L, LE);
            a03 = v03.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v03.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a03));
            IntVector v10 = IntVector.fromMemorySegment(I, ws, o1 + 0 * 4 * L, LE);
            a10 = v10.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v10.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a10));
            IntVector v11 = IntVector.fromMemorySegment(I, ws, o1 + 1 * 4 * L, LE);
            a11 = v11.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v11.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a11));
            IntVector v12 = IntVector.fromMemorySegment(I, ws, o1 + 2 * 4 * L, LE);
            a12 = v12.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v12.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a12));
            IntVector v13 = IntVector.fromMemorySegment(I, ws, o1 + 3 * 4 * L, LE);
            a13 = v13.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v13.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a13));
            IntVector v20 = IntVector.fromMemorySegment(I, ws, o2 + 0 * 4 * L, LE);
            a20 = v20.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v20.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a20));
            IntVector v21 = IntVector.fromMemorySegment(I, ws, o2 + 1 * 4 * L, LE);
            a21 = v21.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v21.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a21));
            IntVector v22 = IntVector.fromMemorySegment(I, ws, o2 + 2 * 4 * L, LE);
            a22 = v22.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v22.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a22));
            IntVector v23 = IntVector.fromMemorySegment(I, ws, o2 + 3 * 4 * L, LE);
            a23 = v23.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v23.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a23));
            IntVector v30 = IntVector.fromMemorySegment(I, ws, o3 + 0 * 4 * L, LE);
            a30 = v30.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v30.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a30));
            IntVector v31 = IntVector.fromMemorySegment(I, ws, o3 + 1 * 4 * L, LE);
            a31 = v31.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v31.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a31));
            IntVector v32 = IntVector.fromMemorySegment(I, ws, o3 + 2 * 4 * L, LE);
            a32 = v32.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v32.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a32));
            IntVector v33 = IntVector.fromMemorySegment(I, ws, o3 + 3 * 4 * L, LE);
            a33 = v33.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v33.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a33));
        }
        out[c + 0] = a00.add(a01).add(a02.add(a03)).reduceLanes(VectorOperators.ADD);
        out[c + 1] = a10.add(a11).add(a12.add(a13)).reduceLanes(VectorOperators.ADD);
        out[c + 2] = a20.add(a21).add(a22.add(a23)).reduceLanes(VectorOperators.ADD);
        out[c + 3] = a30.add(a31).add(a32.add(a33)).reduceLanes(VectorOperators.ADD);
    }

    /** 8 rows × 4 vectors (32 accumulators; r4i4's order per row, so each x vector feeds 8 rows). */
    private void r8i4(int c) {
        int pairs = k / 2;
        long w0 = wBase + (c + 0) * 2L * k;
        long w1 = wBase + (c + 1) * 2L * k;
        long w2 = wBase + (c + 2) * 2L * k;
        long w3 = wBase + (c + 3) * 2L * k;
        long w4 = wBase + (c + 4) * 2L * k;
        long w5 = wBase + (c + 5) * 2L * k;
        long w6 = wBase + (c + 6) * 2L * k;
        long w7 = wBase + (c + 7) * 2L * k;
        FloatVector z = FloatVector.zero(F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z;
        FloatVector a30 = z, a31 = z, a32 = z, a33 = z;
        FloatVector a40 = z, a41 = z, a42 = z, a43 = z;
        FloatVector a50 = z, a51 = z, a52 = z, a53 = z;
        FloatVector a60 = z, a61 = z, a62 = z, a63 = z;
        FloatVector a70 = z, a71 = z, a72 = z, a73 = z;
        for (int j = 0; j < pairs; j += 4 * L) {
            FloatVector e0 = FloatVector.fromArray(F, x, j + 0 * L), d0 = FloatVector.fromArray(F, x, pairs + j + 0 * L);
            FloatVector e1 = FloatVector.fromArray(F, x, j + 1 * L), d1 = FloatVector.fromArray(F, x, pairs + j + 1 * L);
            FloatVector e2 = FloatVector.fromArray(F, x, j + 2 * L), d2 = FloatVector.fromArray(F, x, pairs + j + 2 * L);
            FloatVector e3 = FloatVector.fromArray(F, x, j + 3 * L), d3 = FloatVector.fromArray(F, x, pairs + j + 3 * L);
            IntVector v00 = IntVector.fromMemorySegment(I, ws, w0 + 4L * j + 0 * 4 * L, LE);
            a00 = v00.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v00.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a00));
            IntVector v01 = IntVector.fromMemorySegment(I, ws, w0 + 4L * j + 1 * 4 * L, LE);
            a01 = v01.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v01.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a01));
            IntVector v02 = IntVector.fromMemorySegment(I, ws, w0 + 4L * j + 2 * 4 * L, LE);
            a02 = v02.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v02.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a02));
            IntVector v03 = IntVector.fromMemorySegment(I, ws, w0 + 4L * j + 3 * 4 * L, LE);
            a03 = v03.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v03.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a03));
            IntVector v10 = IntVector.fromMemorySegment(I, ws, w1 + 4L * j + 0 * 4 * L, LE);
            a10 = v10.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v10.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a10));
            IntVector v11 = IntVector.fromMemorySegment(I, ws, w1 + 4L * j + 1 * 4 * L, LE);
            a11 = v11.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v11.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a11));
            IntVector v12 = IntVector.fromMemorySegment(I, ws, w1 + 4L * j + 2 * 4 * L, LE);
            a12 = v12.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v12.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a12));
            IntVector v13 = IntVector.fromMemorySegment(I, ws, w1 + 4L * j + 3 * 4 * L, LE);
            a13 = v13.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v13.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a13));
            IntVector v20 = IntVector.fromMemorySegment(I, ws, w2 + 4L * j + 0 * 4 * L, LE);
            a20 = v20.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v20.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a20));
            IntVector v21 = IntVector.fromMemorySegment(I, ws, w2 + 4L * j + 1 * 4 * L, LE);
            a21 = v21.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v21.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a21));
            IntVector v22 = IntVector.fromMemorySegment(I, ws, w2 + 4L * j + 2 * 4 * L, LE);
            a22 = v22.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v22.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a22));
            IntVector v23 = IntVector.fromMemorySegment(I, ws, w2 + 4L * j + 3 * 4 * L, LE);
            a23 = v23.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v23.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a23));
            IntVector v30 = IntVector.fromMemorySegment(I, ws, w3 + 4L * j + 0 * 4 * L, LE);
            a30 = v30.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v30.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a30));
            IntVector v31 = IntVector.fromMemorySegment(I, ws, w3 + 4L * j + 1 * 4 * L, LE);
            a31 = v31.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v31.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a31));
            IntVector v32 = IntVector.fromMemorySegment(I, ws, w3 + 4L * j + 2 * 4 * L, LE);
            a32 = v32.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v32.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a32));
            IntVector v33 = IntVector.fromMemorySegment(I, ws, w3 + 4L * j + 3 * 4 * L, LE);
            a33 = v33.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v33.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a33));
            IntVector v40 = IntVector.fromMemorySegment(I, ws, w4 + 4L * j + 0 * 4 * L, LE);
            a40 = v40.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v40.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a40));
            IntVector v41 = IntVector.fromMemorySegment(I, ws, w4 + 4L * j + 1 * 4 * L, LE);
            a41 = v41.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v41.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a41));
            IntVector v42 = IntVector.fromMemorySegment(I, ws, w4 + 4L * j + 2 * 4 * L, LE);
            a42 = v42.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v42.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a42));
            IntVector v43 = IntVector.fromMemorySegment(I, ws, w4 + 4L * j + 3 * 4 * L, LE);
            a43 = v43.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v43.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a43));
            IntVector v50 = IntVector.fromMemorySegment(I, ws, w5 + 4L * j + 0 * 4 * L, LE);
            a50 = v50.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v50.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a50));
            IntVector v51 = IntVector.fromMemorySegment(I, ws, w5 + 4L * j + 1 * 4 * L, LE);
            a51 = v51.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v51.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a51));
            IntVector v52 = IntVector.fromMemorySegment(I, ws, w5 + 4L * j + 2 * 4 * L, LE);
            a52 = v52.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v52.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a52));
            IntVector v53 = IntVector.fromMemorySegment(I, ws, w5 + 4L * j + 3 * 4 * L, LE);
            a53 = v53.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v53.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a53));
            IntVector v60 = IntVector.fromMemorySegment(I, ws, w6 + 4L * j + 0 * 4 * L, LE);
            a60 = v60.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v60.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a60));
            IntVector v61 = IntVector.fromMemorySegment(I, ws, w6 + 4L * j + 1 * 4 * L, LE);
            a61 = v61.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v61.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a61));
            IntVector v62 = IntVector.fromMemorySegment(I, ws, w6 + 4L * j + 2 * 4 * L, LE);
            a62 = v62.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v62.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a62));
            IntVector v63 = IntVector.fromMemorySegment(I, ws, w6 + 4L * j + 3 * 4 * L, LE);
            a63 = v63.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v63.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a63));
            IntVector v70 = IntVector.fromMemorySegment(I, ws, w7 + 4L * j + 0 * 4 * L, LE);
            a70 = v70.and(0xFFFF0000).reinterpretAsFloats().fma(d0, v70.lanewise(LSHL, 16).reinterpretAsFloats().fma(e0, a70));
            IntVector v71 = IntVector.fromMemorySegment(I, ws, w7 + 4L * j + 1 * 4 * L, LE);
            a71 = v71.and(0xFFFF0000).reinterpretAsFloats().fma(d1, v71.lanewise(LSHL, 16).reinterpretAsFloats().fma(e1, a71));
            IntVector v72 = IntVector.fromMemorySegment(I, ws, w7 + 4L * j + 2 * 4 * L, LE);
            a72 = v72.and(0xFFFF0000).reinterpretAsFloats().fma(d2, v72.lanewise(LSHL, 16).reinterpretAsFloats().fma(e2, a72));
            IntVector v73 = IntVector.fromMemorySegment(I, ws, w7 + 4L * j + 3 * 4 * L, LE);
            a73 = v73.and(0xFFFF0000).reinterpretAsFloats().fma(d3, v73.lanewise(LSHL, 16).reinterpretAsFloats().fma(e3, a73));
        }
        out[c + 0] = a00.add(a01).add(a02.add(a03)).reduceLanes(VectorOperators.ADD);
        out[c + 1] = a10.add(a11).add(a12.add(a13)).reduceLanes(VectorOperators.ADD);
        out[c + 2] = a20.add(a21).add(a22.add(a23)).reduceLanes(VectorOperators.ADD);
        out[c + 3] = a30.add(a31).add(a32.add(a33)).reduceLanes(VectorOperators.ADD);
        out[c + 4] = a40.add(a41).add(a42.add(a43)).reduceLanes(VectorOperators.ADD);
        out[c + 5] = a50.add(a51).add(a52.add(a53)).reduceLanes(VectorOperators.ADD);
        out[c + 6] = a60.add(a61).add(a62.add(a63)).reduceLanes(VectorOperators.ADD);
        out[c + 7] = a70.add(a71).add(a72.add(a73)).reduceLanes(VectorOperators.ADD);
    }
}
