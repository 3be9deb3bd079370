package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.I;
import static io.tttv2.core.cpu.kernel.Lanes.LE;
import static jdk.incubator.vector.VectorOperators.LSHL;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;

/**
 * The BF16 in-place loops of a served decode step, previous and current alternating round by round in one JVM
 * on one thread (a loaded machine slows both alike); prints per shape the median time of a whole matmul
 * {@code out[M, N] = x[M, K] · w[N, K]ᵀ} with each and the median of the per-round ratios:
 * <ul>
 *   <li>short rows (kjv-tiny: K 256 and 704), M = 1 and 8: {@link ShortRowBf16Kernels} against its loops as they
 *       were, whose lanes were added one by one;</li>
 *   <li>long rows (the 1B: K 2048 and 8192), M = 8: {@link SmallBatchBf16Kernel#block2x2} over pairs of rows of
 *       x and w against the block before it, 4 rows of x against one row of w.</li>
 * </ul>
 * A command, not a test: {@code java --add-modules jdk.incubator.vector -cp core-impl/target/test-classes:
 * core-impl/target/classes:core-api/target/classes io.tttv2.core.cpu.kernel.SmallBatchAlternation [rounds] [shape name prefix]}.
 */
public final class SmallBatchAlternation {

    private static final int L = Lanes.L;

    private SmallBatchAlternation() {
    }

    private record Shape(String name, int m, int k, int n) {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<Shape> shapes = List.of(new Shape("kjv gate/up", 1, 256, 1408), new Shape("kjv gate/up", 8, 256, 1408),
                new Shape("kjv down", 1, 704, 256), new Shape("kjv down", 8, 704, 256),
                new Shape("kjv lm-head", 1, 256, 4096), new Shape("kjv lm-head", 8, 256, 4096),
                new Shape("1B q/o", 8, 2048, 2048), new Shape("1B gate/up", 8, 2048, 16384),
                new Shape("1B down", 8, 8192, 2048));
        Random r = new Random(1);
        Arena arena = Arena.ofShared();
        float[] sums = new float[16 + 16 * L];
        String only = args.length > 1 ? args[1] : "";
        for (Shape s : shapes) {
            if (!s.name.startsWith(only)) {
                continue;
            }
            MemorySegment w = arena.allocate(2L * s.n * s.k, 64);
            for (long i = 0; i < (long) s.n * s.k; i++) {
                w.set(Lanes.I16_LE, 2 * i, Lanes.toBf16(r.nextFloat() - 0.5f));
            }
            float[] x = new float[s.m * s.k];
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextFloat() - 0.5f;
            }
            float[] outOld = new float[s.m * s.n];
            float[] outNew = new float[s.m * s.n];
            boolean shortRows = s.k < ShortRowBf16Kernels.MAX_K;
            Runnable old = () -> {
                if (shortRows) {
                    previousShort(w, x, s, sums, outOld);
                } else {
                    previousLong(w, x, s, sums, outOld);
                }
            };
            Runnable neu = () -> {
                if (shortRows) {
                    currentShort(w, x, s, sums, outNew);
                } else {
                    currentLong(w, x, s, sums, outNew);
                }
            };
            int reps = (int) Math.max(1, 2e9 / (2.0 * s.m * s.k * s.n));
            for (int i = 0; i < 3; i++) {
                time(old, reps);
                time(neu, reps);
            }
            double[] to = new double[rounds];
            double[] tn = new double[rounds];
            double[] ratio = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                to[i] = time(old, reps);
                tn[i] = time(neu, reps);
                ratio[i] = to[i] / tn[i];
            }
            double flops = 2.0 * s.m * s.k * s.n;
            double mo = median(to);
            double mn = median(tn);
            double diff = 0;
            for (int i = 0; i < outOld.length; i++) {
                diff = Math.max(diff, Math.abs(outOld[i] - outNew[i]));
            }
            System.out.printf("%-12s M=%d K=%d N=%d: previous %.1f µs (%.1f GFLOP/s), current %.1f µs (%.1f GFLOP/s),"
                    + " median ratio %.2f×, max |Δ| %.2e%n", s.name, s.m, s.k, s.n, mo / 1e3, flops / mo, mn / 1e3,
                    flops / mn, median(ratio), diff);
        }
    }

    private static double time(Runnable call, int reps) {
        long t = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            call.run();
        }
        return (System.nanoTime() - t) / (double) reps;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static void currentShort(MemorySegment w, float[] x, Shape s, float[] sums, float[] out) {
        int k = s.k;
        for (int c = 0; c < s.n; c += 4) {
            long w0 = (long) c * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
            int r = 0;
            for (; r + 4 <= s.m; r += 4) {
                ShortRowBf16Kernels.block4x4(w, w0, w1, w2, w3, x, r * k, k, sums, 0);
                for (int i = 0; i < 16; i++) {
                    out[(r + i / 4) * s.n + c + i % 4] = sums[i];
                }
            }
            for (; r < s.m; r++) {
                ShortRowBf16Kernels.rows4(w, w0, w1, w2, w3, x, r * k, k, sums, 0);
                for (int i = 0; i < 4; i++) {
                    out[r * s.n + c + i] = sums[i];
                }
            }
        }
    }

    private static void previousShort(MemorySegment w, float[] x, Shape s, float[] sums, float[] out) {
        int k = s.k;
        for (int c = 0; c < s.n; c += 4) {
            long w0 = (long) c * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
            int r = 0;
            for (; r + 4 <= s.m; r += 4) {
                previousBlock4x4(w, w0, w1, w2, w3, x, r * k, k, sums, 0);
                for (int i = 0; i < 16; i++) {
                    out[(r + i / 4) * s.n + c + i % 4] = sums[i];
                }
            }
            for (; r < s.m; r++) {
                previousRows4(w, w0, w1, w2, w3, x, r * k, k, sums, 0);
                for (int i = 0; i < 4; i++) {
                    out[r * s.n + c + i] = sums[i];
                }
            }
        }
    }

    private static void currentLong(MemorySegment w, float[] x, Shape s, float[] sums, float[] out) {
        int k = s.k;
        for (int c = 0; c < s.n; c += 4) {
            for (int r = 0; r + 2 <= s.m; r += 2) {
                for (int p = 0; p < 4; p += 2) {
                    long w0 = (long) (c + p) * k;
                    SmallBatchBf16Kernel.block2x2(w, w0, w0 + k, x, r * k, (r + 1) * k, k, sums, 0);
                    out[r * s.n + c + p] = sums[0];
                    out[r * s.n + c + p + 1] = sums[1];
                    out[(r + 1) * s.n + c + p] = sums[2];
                    out[(r + 1) * s.n + c + p + 1] = sums[3];
                }
            }
        }
    }

    private static void previousLong(MemorySegment w, float[] x, Shape s, float[] sums, float[] out) {
        int k = s.k;
        for (int c = 0; c < s.n; c += 4) {
            for (int r = 0; r + 4 <= s.m; r += 4) {
                for (int j = 0; j < 4; j++) {
                    previousBlock4x1(w, (long) (c + j) * k, x, r * k, k, sums, 0);
                    for (int i = 0; i < 4; i++) {
                        out[(r + i) * s.n + c + j] = sums[i];
                    }
                }
            }
        }
    }

    // ---- ShortRowBf16Kernels as it was: lanes added one by one -------------------------------------

    static void previousRows4(MemorySegment ws, long w0, long w1, long w2, long w3, float[] x, int xa, int k,
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
        int lanes = at + 4;
        a0.intoArray(sums, lanes);
        a1.intoArray(sums, lanes + L);
        a2.intoArray(sums, lanes + 2 * L);
        a3.intoArray(sums, lanes + 3 * L);
        float s0 = SmallBatchBf16Kernel.sumLanes(sums, lanes);
        float s1 = SmallBatchBf16Kernel.sumLanes(sums, lanes + L);
        float s2 = SmallBatchBf16Kernel.sumLanes(sums, lanes + 2 * L);
        float s3 = SmallBatchBf16Kernel.sumLanes(sums, lanes + 3 * L);
        sums[at] = Bf16Matvec.addRest(ws, w0, x, xa, k, pv, s0);
        sums[at + 1] = Bf16Matvec.addRest(ws, w1, x, xa, k, pv, s1);
        sums[at + 2] = Bf16Matvec.addRest(ws, w2, x, xa, k, pv, s2);
        sums[at + 3] = Bf16Matvec.addRest(ws, w3, x, xa, k, pv, s3);
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
    static void previousBlock4x4(MemorySegment ws, long w0, long w1, long w2, long w3, float[] x, int xa, int k,
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
        // lanes out to memory, each sum then added up lane after lane: the same bits compiled or interpreted
        // (reduceLanes' order is the implementation's: C2 adds a tree, the Java fallback in order)
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
        for (int i = 0; i < 16; i++) {
            sums[at + i] = SmallBatchBf16Kernel.sumLanes(sums, lanes + i * L);
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

    // ---- SmallBatchBf16Kernel's block as it was: 4 rows of x against one row of w ----------------------

    /**
     * sums[at + r] = row r of x · the BF16 row of w at element offset {@code w0} of ws, for r in 0..3.
     *
     * @param x    rows of x in split order, [4, K] from {@code xa} (row r at xa + r·K)
     * @param sums out: [4] from {@code at}, then [4, L] of scratch
     */
    static void previousBlock4x1(MemorySegment ws, long w0, float[] x, int xa, int k, float[] sums, int at) {
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
            sums[at + r] = Bf16Matvec.addRest(ws, w0, x, xa + r * k, k, j, SmallBatchBf16Kernel.sumLanes(sums, lanes + r * L));
        }
    }
}
