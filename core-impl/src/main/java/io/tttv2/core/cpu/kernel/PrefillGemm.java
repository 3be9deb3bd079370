package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The prefill GEMM shared by every weight format: {@code out[M, N] = x[M, K] · w[N, K]ᵀ (+ bias[N])} for the
 * output columns {@code [nFrom, nTo)} of one worker's chunk, with the weight format's only part a
 * {@link WeightRows} callback that writes one row of w as K floats.
 *
 * <p>Layout: the vector lanes run along M, not along K. Each thread packs the x rows of a panel once per call
 * into {@code xt} [⌈rows / L⌉, K, L] (L rows of x side by side per k, zero past the last row), then for every
 * {@link #COLS} rows of w it widens or dequantises them into a tile [COLS, K] and runs the micro-kernel over the
 * panel, {@link #VECTORS} vectors of x rows × COLS weight columns at a time: per k, VECTORS vector loads of
 * xt and COLS broadcast weights feed VECTORS · COLS FMAs into as many accumulators, each accumulator holding
 * L outputs of one column. No lane is ever reduced; each output is one lane summed in order over k, so a
 * column's result does not depend on the chunk it falls in, nor (within a panel) on the other rows.
 *
 * <p>Weights are never transposed, only x (M·K values per thread and call, against N·M·K FMAs), and a weight
 * row is widened once per panel. Vectors never cross a call (see {@link Lanes}): the micro-kernels load, FMA
 * and store within one method each.
 *
 * <p>One instance per kernel instance: {@link #bind} sets the operands of a call from the calling thread, then
 * each worker runs its chunks through {@link #run}.
 */
final class PrefillGemm {

    /**
     * Values {@code [kFrom, kFrom + count)} of one row of w as floats in natural order (widened or dequantised)
     * into {@code dst[at ..]}; kFrom and count are multiples of the granule given to the constructor (or 0 and K).
     */
    @FunctionalInterface
    interface WeightRows {
        void row(int row, int kFrom, int count, float[] dst, int at);
    }

    private static final VectorSpecies<Float> F = Lanes.F;
    private static final int L = Lanes.L;

    /** Weight columns per micro-tile: broadcasts per k. */
    static final int COLS = 12;
    /** Vectors of x rows per micro-tile: 2 × 12 = 24 accumulators, of AVX-512's 32 registers. */
    static final int VECTORS = 2;
    /** Rows of x per panel: a panel's xt (64 × K floats) is read once per tile, from L2. */
    static final int PANEL_ROWS = 64;
    /**
     * Values of K per weight tile: a tile [COLS, KC] (24 KiB) is widened into L1 and used there by every vector
     * pair of the panel; the partial sums [vectors, COLS, L] carry from one K block to the next. 512 measured
     * ahead of 256 and 1024 (PrefillGemmAlternation, docs/kernels.md); {@code tttv2.matmul.gemmKc} overrides it.
     */
    static final int KC = Integer.getInteger("tttv2.matmul.gemmKc", 512);

    /** Numbers the binds, so a worker packs x once per call (and again after another call's run). */
    private static final AtomicLong CALLS = new AtomicLong();

    /** Per-thread buffers, and which call's panel xt holds. */
    private static final class Scratch {
        float[] rows = new float[0];    // [L, K]: L rows of x as they are, the gather's source
        float[] xt = new float[0];      // [⌈rows / L⌉, K, L]
        float[] tile = new float[0];    // [COLS, K]
        float[] sums = new float[0];    // [⌈rows / L⌉, COLS, L]: a tile's partial sums between K blocks
        int[] gather = new int[0];      // [L]: j · K, the offsets of one k across the L rows
        long call = -1;
        int panel = -1;
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final WeightRows weights;
    private final int granule;

    // operands of the call in progress; offsets and strides in elements
    private MemorySegment xs;
    private long xOff;
    private long xRow;
    private MemorySegment bs;
    private DType bt;
    private long bOff;
    private long bStride;
    private MemorySegment os;
    private long oOff;
    private long oRow;
    private int m;
    private int k;
    private long call;

    /**
     * granule: the weights can be read from any multiple of it along K (then tiles are [COLS, KC], KC a multiple
     * of it), or 0: whole rows only (tiles [COLS, K]).
     */
    PrefillGemm(int granule, WeightRows weights) {
        if (granule != 0 && KC % granule != 0) {
            throw new IllegalArgumentException("K block " + KC + " is not a multiple of the weights' granule " + granule);
        }
        this.granule = granule;
        this.weights = weights;
    }

    /** Binds one call: x [M, K] F32, bias [N] or null, out [M, N] F32, unit stride along the last dimension. */
    void bind(Tensor x, Tensor bias, Tensor out) {
        xs = x.base();
        xOff = x.offset();
        xRow = x.stride(0);
        if (bias != null) {
            bs = bias.base();
            bt = bias.dtype();
            bOff = bias.offset();
            bStride = bias.stride(0);
        } else {
            bs = null;
        }
        os = out.base();
        oOff = out.offset();
        oRow = out.stride(0);
        m = x.dim(0);
        k = x.dim(1);
        call = CALLS.incrementAndGet();
    }

    /** Drops the references to the last call's memory. */
    void unbind() {
        xs = bs = os = null;
    }

    /** Computes output columns {@code [nFrom, nTo)} for every row of x. */
    void run(int nFrom, int nTo) {
        Scratch s = SCRATCH.get();
        int kc = granule == 0 ? k : Math.min(k, KC);
        int vectorsPerPanel = (Math.min(m, PANEL_ROWS) + L - 1) / L;
        if (s.xt.length < vectorsPerPanel * L * k) {
            s.xt = new float[vectorsPerPanel * L * k];
            s.call = -1;
        }
        if (s.rows.length < L * k) {
            s.rows = new float[L * k];
        }
        if (s.tile.length < COLS * kc) {
            s.tile = new float[COLS * kc];
        }
        if (s.sums.length < vectorsPerPanel * COLS * L) {
            s.sums = new float[vectorsPerPanel * COLS * L];
        }
        float[] xt = s.xt;
        float[] tile = s.tile;
        float[] sums = s.sums;
        for (int p = 0; p < m; p += PANEL_ROWS) {
            int rows = Math.min(PANEL_ROWS, m - p);
            int vectors = (rows + L - 1) / L;
            if (s.call != call || s.panel != p) {
                pack(s, p, rows);
                s.call = call;
                s.panel = p;
            }
            for (int c = nFrom; c < nTo; c += COLS) {
                int valid = Math.min(COLS, nTo - c);
                java.util.Arrays.fill(sums, 0, vectors * COLS * L, 0f);
                for (int kb = 0; kb < k; kb += kc) {
                    int count = Math.min(kc, k - kb);
                    // a partial tile repeats its last row, and stores only the valid outputs
                    for (int j = 0; j < COLS; j++) {
                        weights.row(Math.min(c + j, nTo - 1), kb, count, tile, j * count);
                    }
                    int v = 0;
                    for (; v + 2 <= vectors; v += 2) {
                        tile2x12(xt, (v * k + kb) * L, tile, count, sums, v * COLS * L);
                    }
                    if (v < vectors) {
                        tile1x12(xt, (v * k + kb) * L, tile, count, sums, v * COLS * L);
                    }
                }
                store(sums, p, rows, c, valid);
            }
        }
    }

    /** xt [⌈rows / L⌉, K, L] = rows p .. p+rows-1 of x, L rows side by side per k, zero rows past the last. */
    private void pack(Scratch s, int p, int rows) {
        if (s.gather.length != L || s.gather[L - 1] != (L - 1) * k) {
            s.gather = new int[L];
            for (int j = 0; j < L; j++) {
                s.gather[j] = j * k;
            }
        }
        float[] src = s.rows;   // [L, K]
        int[] gather = s.gather;
        float[] xt = s.xt;
        for (int v = 0; v * L < rows; v++) {
            int here = Math.min(L, rows - v * L);
            for (int j = 0; j < L; j++) {
                if (j < here) {
                    MemorySegment.copy(xs, Lanes.F32_LE, (xOff + (p + v * L + j) * xRow) * 4, src, j * k, k);
                } else {
                    java.util.Arrays.fill(src, j * k, (j + 1) * k, 0f);
                }
            }
            int base = v * L * k;
            for (int i = 0; i < k; i++) {
                FloatVector.fromArray(F, src, i, gather, 0).intoArray(xt, base + i * L);
            }
        }
    }

    /**
     * Two vectors of x rows (xt[xa ..], 2·L rows, K values apart from one vector to the next) against the COLS
     * rows of the tile [COLS, count]: 24 accumulators, each L outputs of one column, carried in sums[at ..].
     */
    private void tile2x12(float[] xt, int xa, float[] tile, int count, float[] sums, int at) {
        int xb = xa + L * k;
        int t1 = count, t2 = 2 * count, t3 = 3 * count, t4 = 4 * count, t5 = 5 * count;
        int t6 = 6 * count, t7 = 7 * count, t8 = 8 * count, t9 = 9 * count, t10 = 10 * count, t11 = 11 * count;
        int bt = at + COLS * L;
        FloatVector a0 = FloatVector.fromArray(F, sums, at);
        FloatVector a1 = FloatVector.fromArray(F, sums, at + 1 * L);
        FloatVector a2 = FloatVector.fromArray(F, sums, at + 2 * L);
        FloatVector a3 = FloatVector.fromArray(F, sums, at + 3 * L);
        FloatVector a4 = FloatVector.fromArray(F, sums, at + 4 * L);
        FloatVector a5 = FloatVector.fromArray(F, sums, at + 5 * L);
        FloatVector a6 = FloatVector.fromArray(F, sums, at + 6 * L);
        FloatVector a7 = FloatVector.fromArray(F, sums, at + 7 * L);
        FloatVector a8 = FloatVector.fromArray(F, sums, at + 8 * L);
        FloatVector a9 = FloatVector.fromArray(F, sums, at + 9 * L);
        FloatVector a10 = FloatVector.fromArray(F, sums, at + 10 * L);
        FloatVector a11 = FloatVector.fromArray(F, sums, at + 11 * L);
        FloatVector b0 = FloatVector.fromArray(F, sums, bt);
        FloatVector b1 = FloatVector.fromArray(F, sums, bt + 1 * L);
        FloatVector b2 = FloatVector.fromArray(F, sums, bt + 2 * L);
        FloatVector b3 = FloatVector.fromArray(F, sums, bt + 3 * L);
        FloatVector b4 = FloatVector.fromArray(F, sums, bt + 4 * L);
        FloatVector b5 = FloatVector.fromArray(F, sums, bt + 5 * L);
        FloatVector b6 = FloatVector.fromArray(F, sums, bt + 6 * L);
        FloatVector b7 = FloatVector.fromArray(F, sums, bt + 7 * L);
        FloatVector b8 = FloatVector.fromArray(F, sums, bt + 8 * L);
        FloatVector b9 = FloatVector.fromArray(F, sums, bt + 9 * L);
        FloatVector b10 = FloatVector.fromArray(F, sums, bt + 10 * L);
        FloatVector b11 = FloatVector.fromArray(F, sums, bt + 11 * L);
        for (int i = 0; i < count; i++) {
            FloatVector x0 = FloatVector.fromArray(F, xt, xa + i * L);
            FloatVector x1 = FloatVector.fromArray(F, xt, xb + i * L);
            FloatVector w0 = FloatVector.broadcast(F, tile[i]);
            a0 = x0.fma(w0, a0);
            b0 = x1.fma(w0, b0);
            FloatVector w1 = FloatVector.broadcast(F, tile[t1 + i]);
            a1 = x0.fma(w1, a1);
            b1 = x1.fma(w1, b1);
            FloatVector w2 = FloatVector.broadcast(F, tile[t2 + i]);
            a2 = x0.fma(w2, a2);
            b2 = x1.fma(w2, b2);
            FloatVector w3 = FloatVector.broadcast(F, tile[t3 + i]);
            a3 = x0.fma(w3, a3);
            b3 = x1.fma(w3, b3);
            FloatVector w4 = FloatVector.broadcast(F, tile[t4 + i]);
            a4 = x0.fma(w4, a4);
            b4 = x1.fma(w4, b4);
            FloatVector w5 = FloatVector.broadcast(F, tile[t5 + i]);
            a5 = x0.fma(w5, a5);
            b5 = x1.fma(w5, b5);
            FloatVector w6 = FloatVector.broadcast(F, tile[t6 + i]);
            a6 = x0.fma(w6, a6);
            b6 = x1.fma(w6, b6);
            FloatVector w7 = FloatVector.broadcast(F, tile[t7 + i]);
            a7 = x0.fma(w7, a7);
            b7 = x1.fma(w7, b7);
            FloatVector w8 = FloatVector.broadcast(F, tile[t8 + i]);
            a8 = x0.fma(w8, a8);
            b8 = x1.fma(w8, b8);
            FloatVector w9 = FloatVector.broadcast(F, tile[t9 + i]);
            a9 = x0.fma(w9, a9);
            b9 = x1.fma(w9, b9);
            FloatVector w10 = FloatVector.broadcast(F, tile[t10 + i]);
            a10 = x0.fma(w10, a10);
            b10 = x1.fma(w10, b10);
            FloatVector w11 = FloatVector.broadcast(F, tile[t11 + i]);
            a11 = x0.fma(w11, a11);
            b11 = x1.fma(w11, b11);
        }
        a0.intoArray(sums, at);
        a1.intoArray(sums, at + 1 * L);
        a2.intoArray(sums, at + 2 * L);
        a3.intoArray(sums, at + 3 * L);
        a4.intoArray(sums, at + 4 * L);
        a5.intoArray(sums, at + 5 * L);
        a6.intoArray(sums, at + 6 * L);
        a7.intoArray(sums, at + 7 * L);
        a8.intoArray(sums, at + 8 * L);
        a9.intoArray(sums, at + 9 * L);
        a10.intoArray(sums, at + 10 * L);
        a11.intoArray(sums, at + 11 * L);
        b0.intoArray(sums, bt);
        b1.intoArray(sums, bt + 1 * L);
        b2.intoArray(sums, bt + 2 * L);
        b3.intoArray(sums, bt + 3 * L);
        b4.intoArray(sums, bt + 4 * L);
        b5.intoArray(sums, bt + 5 * L);
        b6.intoArray(sums, bt + 6 * L);
        b7.intoArray(sums, bt + 7 * L);
        b8.intoArray(sums, bt + 8 * L);
        b9.intoArray(sums, bt + 9 * L);
        b10.intoArray(sums, bt + 10 * L);
        b11.intoArray(sums, bt + 11 * L);
    }

    /** One vector of x rows (xt[xa ..]) against the COLS rows of the tile [COLS, count], carried in sums[at ..]. */
    private void tile1x12(float[] xt, int xa, float[] tile, int count, float[] sums, int at) {
        int t1 = count, t2 = 2 * count, t3 = 3 * count, t4 = 4 * count, t5 = 5 * count;
        int t6 = 6 * count, t7 = 7 * count, t8 = 8 * count, t9 = 9 * count, t10 = 10 * count, t11 = 11 * count;
        FloatVector a0 = FloatVector.fromArray(F, sums, at);
        FloatVector a1 = FloatVector.fromArray(F, sums, at + 1 * L);
        FloatVector a2 = FloatVector.fromArray(F, sums, at + 2 * L);
        FloatVector a3 = FloatVector.fromArray(F, sums, at + 3 * L);
        FloatVector a4 = FloatVector.fromArray(F, sums, at + 4 * L);
        FloatVector a5 = FloatVector.fromArray(F, sums, at + 5 * L);
        FloatVector a6 = FloatVector.fromArray(F, sums, at + 6 * L);
        FloatVector a7 = FloatVector.fromArray(F, sums, at + 7 * L);
        FloatVector a8 = FloatVector.fromArray(F, sums, at + 8 * L);
        FloatVector a9 = FloatVector.fromArray(F, sums, at + 9 * L);
        FloatVector a10 = FloatVector.fromArray(F, sums, at + 10 * L);
        FloatVector a11 = FloatVector.fromArray(F, sums, at + 11 * L);
        for (int i = 0; i < count; i++) {
            FloatVector x0 = FloatVector.fromArray(F, xt, xa + i * L);
            a0 = x0.fma(FloatVector.broadcast(F, tile[i]), a0);
            a1 = x0.fma(FloatVector.broadcast(F, tile[t1 + i]), a1);
            a2 = x0.fma(FloatVector.broadcast(F, tile[t2 + i]), a2);
            a3 = x0.fma(FloatVector.broadcast(F, tile[t3 + i]), a3);
            a4 = x0.fma(FloatVector.broadcast(F, tile[t4 + i]), a4);
            a5 = x0.fma(FloatVector.broadcast(F, tile[t5 + i]), a5);
            a6 = x0.fma(FloatVector.broadcast(F, tile[t6 + i]), a6);
            a7 = x0.fma(FloatVector.broadcast(F, tile[t7 + i]), a7);
            a8 = x0.fma(FloatVector.broadcast(F, tile[t8 + i]), a8);
            a9 = x0.fma(FloatVector.broadcast(F, tile[t9 + i]), a9);
            a10 = x0.fma(FloatVector.broadcast(F, tile[t10 + i]), a10);
            a11 = x0.fma(FloatVector.broadcast(F, tile[t11 + i]), a11);
        }
        a0.intoArray(sums, at);
        a1.intoArray(sums, at + 1 * L);
        a2.intoArray(sums, at + 2 * L);
        a3.intoArray(sums, at + 3 * L);
        a4.intoArray(sums, at + 4 * L);
        a5.intoArray(sums, at + 5 * L);
        a6.intoArray(sums, at + 6 * L);
        a7.intoArray(sums, at + 7 * L);
        a8.intoArray(sums, at + 8 * L);
        a9.intoArray(sums, at + 9 * L);
        a10.intoArray(sums, at + 10 * L);
        a11.intoArray(sums, at + 11 * L);
    }

    /**
     * out[row + r, c + j] = sums[(r / L) · COLS · L + j · L + r % L] (+ bias[c + j]) for the panel's real rows
     * (from {@code row}) and the valid columns.
     */
    private void store(float[] sums, int row, int rows, int c, int valid) {
        for (int j = 0; j < valid; j++) {
            long o = oOff + (long) row * oRow + c + j;
            float b = bs == null ? 0f : Lanes.read(bt, bs, bOff + (c + j) * bStride);
            for (int r = 0; r < rows; r++) {
                float v = sums[(r / L) * COLS * L + j * L + r % L];
                os.set(Lanes.F32_LE, (o + r * oRow) * 4, bs == null ? v : v + b);
            }
        }
    }
}
