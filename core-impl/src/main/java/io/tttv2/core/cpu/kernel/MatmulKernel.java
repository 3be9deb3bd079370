package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.Lanes.F;
import static io.tttv2.core.cpu.kernel.Lanes.LE;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code out[M, N] = x[M, K] · w[N, K]ᵀ (+ bias[N])}, with w read in its own dtype (F32, BF16, F16).
 * Work is split over N (rows of w), so each thread streams its own slice of the weight, 4 rows at a time.
 *
 * <ul>
 *   <li>Decode (M &lt; 4, F32/BF16 weights): weights read straight from memory. F32: one loop per row of x
 *       over 4 rows of w, feeding each weight vector to one FMA. BF16: rows are read as int lanes and split
 *       into even and odd elements (see {@link SplitOrder}), against x put once per call in the same order,
 *       by {@link Bf16Matvec}'s loops (one row of w at a time, 4 accumulators along K, for K ≤ 4096, so the
 *       weights stream sequentially; 4 rows side by side for longer rows), or for rows shorter than
 *       {@link ShortRowBf16Kernels#MAX_K} (a small model, in cache) by {@link ShortRowBf16Kernels}.</li>
 *   <li>Small batches of BF16 (M ≤ {@link #SMALL_BATCH_ROWS}): the same in-place reads, 2 rows of w against
 *       2 rows of x at once ({@link SmallBatchBf16Kernel}; short rows: {@link ShortRowBf16Kernels}' 4 × 4
 *       blocks); an odd last row takes the decode loops. All sum in one order, so a row's result does not
 *       depend on M here.</li>
 *   <li>BF16 past the small batches (M &gt; {@link #SMALL_BATCH_ROWS}) where {@link NativeKernels#AVAILABLE} and the
 *       operands are native memory: the native GEMM {@link NativeBf16Gemm} (its order is PrefillGemm's); the Java
 *       routes below otherwise.</li>
 *   <li>Prefill from {@link #GEMM_ROWS} rows of x and K ≥ {@link #GEMM_MIN_K} (BF16 past the small batches): the
 *       packed GEMM {@link PrefillGemm}, fed rows of w widened by {@link Lanes#widen}.</li>
 *   <li>Other prefill (M ≥ 4, and BF16 past the small batches), and F16 weights: rows of x are copied into a per-thread panel [64, K], the 4 rows
 *       of w widened once into a per-thread F32 tile [4, K] (16-bit weights, and then the panel, in split
 *       order), then a 4×4 register block (4 rows of x × 4 rows of w, 16 accumulators) runs over every
 *       group of 4 panel rows, so each weight vector loaded feeds 4 FMAs, as does each x vector.</li>
 * </ul>
 * Kernels are written per dtype, and take their operands from heap arrays where they can, so C2 can
 * inline every vector operation: a vector crossing a call that is not inlined (budgets run out quickly
 * with 16 accumulators) is boxed, and the loop then allocates per iteration.
 *
 * <p>One instance per calling thread: {@link #bind} sets the operands of one call, then the instance is
 * the loop body handed to the pool, so a call allocates nothing.
 */
public final class MatmulKernel implements WorkerPool.RangeBody {

    /** Rows of w per register block, and the pool's chunk granule. */
    public static final int ROW_BLOCK = 4;

    /**
     * The largest M that BF16 weights take in place ({@link SmallBatchBf16Kernel}) rather than through
     * widened tiles: above it the tile's 4×4 blocks over a 64-row panel win (MatmulBenchmark on the 1B
     * shapes). The system property {@code tttv2.matmul.smallBatchRows} overrides it, for benchmarks.
     */
    public static final int SMALL_BATCH_ROWS = Integer.getInteger("tttv2.matmul.smallBatchRows", 16);

    /**
     * The smallest M that takes the packed prefill GEMM ({@link PrefillGemm}) rather than the 4×4 dot-product
     * blocks over widened tiles (MatmulBenchmark on the 1B shapes). The system property
     * {@code tttv2.matmul.gemmRows} overrides it, for benchmarks.
     */
    public static final int GEMM_ROWS = Integer.getInteger("tttv2.matmul.gemmRows", 16);

    private static final int L = Lanes.L;

    /**
     * The smallest K that takes the packed prefill GEMM: on kjv-tiny's shapes (K 256 and 704, N 128 to 704, so
     * worker chunks of 16 to 88 columns, many in partial 12-column tiles) it measured slower end to end than the
     * 4×4 blocks; on the 1B shapes (K 2048 and 8192) as fast or faster (docs/kernels.md).
     */
    public static final int GEMM_MIN_K = Integer.getInteger("tttv2.matmul.gemmMinK", 1024);

    /** This instance's {@link #GEMM_ROWS}: a benchmark in this package runs both paths in one JVM. */
    int gemmRows = GEMM_ROWS;

    /** The packed prefill GEMM over this kernel's weights, widened row by row. */
    private final PrefillGemm gemm = new PrefillGemm(1, this::widenRange);

    /**
     * The smallest K whose BF16 calls past the small batches take the native GEMM ({@link NativeBf16Gemm}) where
     * {@link NativeKernels#AVAILABLE}; {@code tttv2.matmul.nativeGemmMinK} overrides it, for benchmarks.
     */
    public static final int NATIVE_GEMM_MIN_K = Integer.getInteger("tttv2.matmul.nativeGemmMinK", 1);

    /** The native BF16 prefill GEMM, or null where the native kernels are not bound. */
    private final NativeBf16Gemm nativeGemm = NativeKernels.AVAILABLE ? new NativeBf16Gemm() : null;
    /** False: BF16 prefill runs the Java routes here (tests of those routes on a machine with native kernels). */
    boolean nativeRoute = true;
    /** Whether the bound call runs {@link #nativeGemm}. */
    private boolean nativeGemmCall;

    // operands of the call in progress; offsets and strides in elements
    private MemorySegment xs;
    private long xOff;
    private long xRow;
    private MemorySegment ws;
    private DType wt;
    private long wOff;
    private long wRow;
    private MemorySegment bs;
    private DType bt;
    private long bOff;
    private long bStride;
    private MemorySegment os;
    private long oOff;
    private long oRow;
    private int m;
    private int k;
    private int n;
    /** [M, K]: x in split order for the BF16 in-place loops, written by {@link #bind}, read by every worker. */
    private float[] xSplit = new float[0];

    /**
     * The native route of BF16 weights with M ≤ {@link #SMALL_BATCH_ROWS} ({@link NativeBf16Matmul}), null where
     * {@link NativeKernels} are not available; {@link #nativeRowsCall}: whether the bound call takes it.
     */
    private final NativeBf16Matmul nativeBf16 = NativeKernels.AVAILABLE ? new NativeBf16Matmul() : null;
    private boolean nativeRowsCall;

    /**
     * The route of BF16 weights under {@link MatmulPrecision#BF16} (every M: x rounded to BF16, VDPBF16PS), and
     * whether the bound call takes it.
     */
    private final NativeBf16Dot bf16Dot = new NativeBf16Dot();
    private boolean bf16DotCall;

    /** Per calling thread: the precision its BF16 calls use instead of {@link MatmulPrecision#configured} (tests). */
    private static final ThreadLocal<MatmulPrecision[]> PRECISION = ThreadLocal.withInitial(() -> new MatmulPrecision[1]);

    /** Sets the calling thread's precision of BF16 matmuls (null: the property's); returns the old setting. */
    static MatmulPrecision precisionOnThisThread(MatmulPrecision precision) {
        MatmulPrecision[] slot = PRECISION.get();
        MatmulPrecision old = slot[0];
        slot[0] = precision;
        return old;
    }

    /** Per calling thread: true makes its BF16 calls take the Java loops (tests of the fallback; see bind). */
    private static final ThreadLocal<boolean[]> JAVA_ONLY = ThreadLocal.withInitial(() -> new boolean[1]);

    /** Sets whether the calling thread's BF16 matmuls run the Java loops only; returns the old setting. */
    static boolean javaOnBf16(boolean javaOnly) {
        boolean[] flag = JAVA_ONLY.get();
        boolean old = flag[0];
        flag[0] = javaOnly;
        return old;
    }

    /**
     * Binds one call's operands: x [M, K] F32, w [N, K], bias [N] or null, out [M, N] F32; each with unit
     * stride along its last dimension (rows may be strided).
     */
    public void bind(Tensor x, Tensor w, Tensor bias, Tensor out) {
        xs = x.base();
        xOff = x.offset();
        xRow = x.stride(0);
        ws = w.base();
        wt = w.dtype();
        wOff = w.offset();
        wRow = w.stride(0);
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
        n = w.dim(0);
        // the opt-in BF16 precision: one route for every M (MatmulPrecision)
        MatmulPrecision forced = wt == DType.BF16 ? PRECISION.get()[0] : null;
        bf16DotCall = wt == DType.BF16 && (forced != null ? forced : MatmulPrecision.configured()) == MatmulPrecision.BF16;
        if (bf16DotCall) {
            nativeGemmCall = false;
            nativeRowsCall = false;
            bf16Dot.bind(x, w, bias, out);
            return;
        }
        // BF16 past the small batches (M > 16): the native GEMM where it is bound and the operands are native
        boolean javaOnly = JAVA_ONLY.get()[0];
        nativeGemmCall = nativeGemm != null && nativeRoute && !javaOnly && wt == DType.BF16
                && m > Math.max(3, SMALL_BATCH_ROWS) && k >= NATIVE_GEMM_MIN_K && nativeGemm.bind(x, w, bias, out);
        if (!nativeGemmCall && usesGemm()) {
            gemm.bind(x, bias, out);
        }
        // BF16 in place (decode, small batches): the native kernel where it is bound, K allows and memory is native
        nativeRowsCall = nativeBf16 != null && wt == DType.BF16 && !tiled() && !javaOnly
                && nativeBf16.bind(x, w, bias, out);
        if (wt == DType.BF16 && !tiled() && !nativeRowsCall) {
            // once per call, by the caller, before the pool publishes the loop to the workers (not per chunk)
            if (xSplit.length < m * k) {
                xSplit = new float[m * k];
            }
            for (int r = 0; r < m; r++) {
                SplitOrder.splitF32(xs, xOff + r * xRow, k, xSplit, r * k);
            }
        }
    }

    /** Whether the bound call runs the BF16-precision kernel ({@link NativeBf16Dot}; its tests check they reach it). */
    boolean runsBf16Dot() {
        return bf16DotCall;
    }

    /** Whether the bound call runs the native BF16 GEMM (its tests check they reach it). */
    boolean runsNative() {
        return nativeGemmCall;
    }

    /** Drops the references to the last call's memory. */
    public void unbind() {
        xs = ws = bs = os = null;
        gemm.unbind();
        bf16Dot.unbind();
        if (nativeBf16 != null) {
            nativeBf16.unbind();
        }
    }

    private boolean usesGemm() {
        return m >= gemmRows && k >= GEMM_MIN_K && tiled();
    }

    /** Values [kFrom, kFrom + count) of row {@code row} of w as floats into dst[at ..]: the prefill GEMM's tiles. */
    private void widenRange(int row, int kFrom, int count, float[] dst, int at) {
        Lanes.widen(wt, ws, wOff + row * wRow + kFrom, count, dst, at);
    }

    /** True if the bound call takes widened tiles (prefill), false if it reads the weights in place. */
    private boolean tiled() {
        // F16 widening takes too many vector operations to inline four times into one loop: widen tiles
        return wt == DType.BF16 ? m > Math.max(3, SMALL_BATCH_ROWS) : m >= 4 || wt == DType.F16;
    }

    /**
     * The loops a call with BF16 weights, {@code m} rows of x and rows of w {@code k} long runs through, by the
     * rules of {@link #tiled} and {@link #usesGemm} (default thresholds): "gemm", "tiled", or the in-place loops:
     * "4 rows short" or "4 rows batch" for each group of 4 rows of x, "short", "sequential" or "long" for the rows
     * past the last group. A duplicate of those rules, kept beside them: the kernel warm-up's test checks with it
     * that the warm-up reaches every loop a model's calls reach.
     */
    public static java.util.Set<String> bf16Routes(int m, int k) {
        if (m > Math.max(3, SMALL_BATCH_ROWS)) {
            return java.util.Set.of(m >= GEMM_ROWS && k >= GEMM_MIN_K ? "gemm" : "tiled");
        }
        String rows = k < ShortRowBf16Kernels.MAX_K ? "short" : k <= Bf16Matvec.SEQUENTIAL_MAX_K ? "sequential" : "long";
        java.util.Set<String> routes = new java.util.TreeSet<>();
        if (m >= 4) {
            routes.add("4 rows " + (k < ShortRowBf16Kernels.MAX_K ? "short" : "batch"));
        }
        if (m % 4 != 0) {
            routes.add(rows);
        }
        return routes;
    }

    /** Computes output columns {@code [nFrom, nTo)} for every row of x. */
    @Override
    public void run(int nFrom, int nTo) {
        if (bf16DotCall) {
            bf16Dot.run(nFrom, nTo);
        } else if (nativeGemmCall) {
            nativeGemm.run(nFrom, nTo);
        } else if (nativeRowsCall) {
            nativeBf16.run(nFrom, nTo);
        } else if (usesGemm()) {
            gemm.run(nFrom, nTo);
        } else if (tiled()) {
            runTiled(nFrom, nTo);
        } else {
            runRows(nFrom, nTo);
        }
    }

    // ---- decode: weights read in place -----------------------------------------------------------

    private void runRows(int nFrom, int nTo) {
        if (wt == DType.BF16) {
            runRowsBf16(nFrom, nTo);
            return;
        }
        for (int c = nFrom; c < nTo; c += ROW_BLOCK) {
            int valid = Math.min(ROW_BLOCK, nTo - c);
            // a partial block repeats its last row, and stores only the valid outputs
            long w0 = wOff + c * wRow;
            long w1 = wOff + Math.min(c + 1, nTo - 1) * wRow;
            long w2 = wOff + Math.min(c + 2, nTo - 1) * wRow;
            long w3 = wOff + Math.min(c + 3, nTo - 1) * wRow;
            for (int r = 0; r < m; r++) {
                rowF32(xOff + r * xRow, w0, w1, w2, w3, r, c, valid);
            }
        }
    }

    /**
     * BF16 in place: pairs of rows of x take {@link SmallBatchBf16Kernel} against pairs of rows of w, an odd last
     * row {@link Bf16Matvec}'s loops; all sum in one order, so a row's bits do not depend on M.
     */
    private void runRowsBf16(int nFrom, int nTo) {
        if (k < ShortRowBf16Kernels.MAX_K) {
            runShortRowsBf16(nFrom, nTo);
            return;
        }
        float[] x = xSplit;
        // per-thread: workers run chunks of one call at once; [4] sums, then [4, L] accumulator lanes
        float[] sums = ThreadScratch.floats(ThreadScratch.ROW, 4 + 4 * L);
        boolean sequential = k <= Bf16Matvec.SEQUENTIAL_MAX_K;
        for (int c = nFrom; c < nTo; c += ROW_BLOCK) {
            int valid = Math.min(ROW_BLOCK, nTo - c);
            // a partial block repeats its last row, and stores only the valid outputs
            long w0 = wOff + c * wRow;
            long w1 = wOff + Math.min(c + 1, nTo - 1) * wRow;
            long w2 = wOff + Math.min(c + 2, nTo - 1) * wRow;
            long w3 = wOff + Math.min(c + 3, nTo - 1) * wRow;
            int r = 0;
            for (; r + 2 <= m; r += 2) {
                // rows r, r + 1 of x against rows 0, 1 of the block, then 2, 3 (the 4 w rows stay in L1)
                SmallBatchBf16Kernel.block2x2(ws, w0, w1, x, r * k, (r + 1) * k, k, sums, 0);
                float s00 = sums[0], s01 = sums[1], s10 = sums[2], s11 = sums[3];
                SmallBatchBf16Kernel.block2x2(ws, w2, w3, x, r * k, (r + 1) * k, k, sums, 0);
                store4(r, c, valid, s00, s01, sums[0], sums[1]);
                store4(r + 1, c, valid, s10, s11, sums[2], sums[3]);
            }
            for (; r < m; r++) {
                if (sequential) {
                    Bf16Matvec.rows4Sequential(ws, w0, w1, w2, w3, x, r * k, k, sums, 0);
                } else {
                    Bf16Matvec.rows4(ws, w0, w1, w2, w3, x, r * k, k, sums, 0);
                }
                store4(r, c, valid, sums[0], sums[1], sums[2], sums[3]);
            }
        }
    }

    /** BF16 in place, rows of w shorter than {@link ShortRowBf16Kernels#MAX_K}: its loops, one order for every M. */
    private void runShortRowsBf16(int nFrom, int nTo) {
        float[] x = xSplit;
        // per-thread: [16] block sums, then [16, L] accumulator lanes
        float[] sums = ThreadScratch.floats(ThreadScratch.ROW, 16 + 16 * L);
        for (int c = nFrom; c < nTo; c += ROW_BLOCK) {
            int valid = Math.min(ROW_BLOCK, nTo - c);
            // a partial block repeats its last row, and stores only the valid outputs
            long w0 = wOff + c * wRow;
            long w1 = wOff + Math.min(c + 1, nTo - 1) * wRow;
            long w2 = wOff + Math.min(c + 2, nTo - 1) * wRow;
            long w3 = wOff + Math.min(c + 3, nTo - 1) * wRow;
            int r = 0;
            for (; r + 4 <= m; r += 4) {
                ShortRowBf16Kernels.block4x4(ws, w0, w1, w2, w3, x, r * k, k, sums, 0);
                for (int i = 0; i < 4; i++) {
                    store4(r + i, c, valid, sums[4 * i], sums[4 * i + 1], sums[4 * i + 2], sums[4 * i + 3]);
                }
            }
            for (; r < m; r++) {
                ShortRowBf16Kernels.rows4(ws, w0, w1, w2, w3, x, r * k, k, sums, 0);
                store4(r, c, valid, sums[0], sums[1], sums[2], sums[3]);
            }
        }
    }

    private void rowF32(long xa, long w0, long w1, long w2, long w3, int r, int c, int valid) {
        int kv = Lanes.F.loopBound(k);
        FloatVector a0 = FloatVector.zero(Lanes.F), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < kv; i += L) {
            FloatVector u = FloatVector.fromMemorySegment(F, xs, (xa + i) * 4, LE);
            a0 = FloatVector.fromMemorySegment(F, ws, (w0 + i) * 4, LE).fma(u, a0);
            a1 = FloatVector.fromMemorySegment(F, ws, (w1 + i) * 4, LE).fma(u, a1);
            a2 = FloatVector.fromMemorySegment(F, ws, (w2 + i) * 4, LE).fma(u, a2);
            a3 = FloatVector.fromMemorySegment(F, ws, (w3 + i) * 4, LE).fma(u, a3);
        }
        finishRow(xa, w0, w1, w2, w3, kv, r, c, valid, a0.reduceLanes(VectorOperators.ADD),
                a1.reduceLanes(VectorOperators.ADD), a2.reduceLanes(VectorOperators.ADD), a3.reduceLanes(VectorOperators.ADD));
    }

    /**
     * Adds the scalar tail {@code [kv, K)} to the 4 reduced sums and stores the valid outputs. Vectors are
     * reduced by the caller: a vector passed to a method C2 does not inline would be boxed.
     */
    private void finishRow(long xa, long w0, long w1, long w2, long w3, int kv, int r, int c, int valid,
                           float s0, float s1, float s2, float s3) {
        for (int i = kv; i < k; i++) {
            float u = xs.get(Lanes.F32_LE, (xa + i) * 4);
            s0 += u * Lanes.read(wt, ws, w0 + i);
            s1 += u * Lanes.read(wt, ws, w1 + i);
            s2 += u * Lanes.read(wt, ws, w2 + i);
            s3 += u * Lanes.read(wt, ws, w3 + i);
        }
        store4(r, c, valid, s0, s1, s2, s3);
    }

    // ---- prefill: widened weight tiles, x panels, 4×4 register blocks ----------------------------

    /** Rows of x copied into one panel: 64 rows × K floats stay in L2 while the weight tiles stream by. */
    private static final int PANEL_ROWS = 64;

    /** Per-thread buffers: [0] the weight tile [4, K], [1] the x panel [PANEL_ROWS, K]. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[2][0]);

    private void runTiled(int nFrom, int nTo) {
        float[][] buffers = BUFFERS.get();
        if (buffers[0].length < ROW_BLOCK * k) {
            buffers[0] = new float[ROW_BLOCK * k];
        }
        if (buffers[1].length < Math.min(m, PANEL_ROWS) * k) {
            buffers[1] = new float[Math.min(m, PANEL_ROWS) * k];
        }
        float[] tile = buffers[0];    // [4, K]: rows c..c+3 of w as F32
        float[] panel = buffers[1];   // [rows, K]: rows p..p+rows-1 of x
        for (int p = 0; p < m; p += PANEL_ROWS) {
            int rows = Math.min(PANEL_ROWS, m - p);
            // 16-bit weights widen into split order (see SplitOrder): x rows follow
            for (int r = 0; r < rows; r++) {
                if (wt == DType.F32) {
                    MemorySegment.copy(xs, Lanes.F32_LE, (xOff + (p + r) * xRow) * 4, panel, r * k, k);
                } else {
                    SplitOrder.splitF32(xs, xOff + (p + r) * xRow, k, panel, r * k);
                }
            }
            for (int c = nFrom; c < nTo; c += ROW_BLOCK) {
                int valid = Math.min(ROW_BLOCK, nTo - c);
                for (int j = 0; j < ROW_BLOCK; j++) {
                    long wa = wOff + Math.min(c + j, nTo - 1) * wRow;
                    switch (wt) {
                        case F32 -> MemorySegment.copy(ws, Lanes.F32_LE, wa * 4, tile, j * k, k);
                        default -> SplitOrder.widen(wt, ws, wa, k, tile, j * k);
                    }
                }
                int r = 0;
                for (; r + 4 <= rows; r += 4) {
                    block4x4(panel, tile, r, p + r, c, valid);
                }
                for (; r < rows; r++) {
                    block1x4(panel, tile, r, p + r, c, valid);
                }
            }
        }
    }

    /** Panel rows r..r+3 (rows row..row+3 of x) against the 4 tile rows: 16 accumulators. */
    private void block4x4(float[] panel, float[] tile, int r, int row, int c, int valid) {
        int x0 = r * k;
        int x1 = x0 + k;
        int x2 = x1 + k;
        int x3 = x2 + k;
        int t1 = k;
        int t2 = 2 * k;
        int t3 = 3 * k;
        int kv = Lanes.F.loopBound(k);
        FloatVector z = FloatVector.zero(Lanes.F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z;
        FloatVector a30 = z, a31 = z, a32 = z, a33 = z;
        for (int i = 0; i < kv; i += L) {
            FloatVector v0 = FloatVector.fromArray(Lanes.F, tile, i);
            FloatVector v1 = FloatVector.fromArray(Lanes.F, tile, t1 + i);
            FloatVector v2 = FloatVector.fromArray(Lanes.F, tile, t2 + i);
            FloatVector v3 = FloatVector.fromArray(Lanes.F, tile, t3 + i);
            FloatVector u = FloatVector.fromArray(Lanes.F, panel, x0 + i);
            a00 = v0.fma(u, a00);
            a01 = v1.fma(u, a01);
            a02 = v2.fma(u, a02);
            a03 = v3.fma(u, a03);
            u = FloatVector.fromArray(Lanes.F, panel, x1 + i);
            a10 = v0.fma(u, a10);
            a11 = v1.fma(u, a11);
            a12 = v2.fma(u, a12);
            a13 = v3.fma(u, a13);
            u = FloatVector.fromArray(Lanes.F, panel, x2 + i);
            a20 = v0.fma(u, a20);
            a21 = v1.fma(u, a21);
            a22 = v2.fma(u, a22);
            a23 = v3.fma(u, a23);
            u = FloatVector.fromArray(Lanes.F, panel, x3 + i);
            a30 = v0.fma(u, a30);
            a31 = v1.fma(u, a31);
            a32 = v2.fma(u, a32);
            a33 = v3.fma(u, a33);
        }
        VectorOperators.Associative add = VectorOperators.ADD;
        finishTiled(panel, tile, x0, kv, row, c, valid,
                a00.reduceLanes(add), a01.reduceLanes(add), a02.reduceLanes(add), a03.reduceLanes(add));
        finishTiled(panel, tile, x1, kv, row + 1, c, valid,
                a10.reduceLanes(add), a11.reduceLanes(add), a12.reduceLanes(add), a13.reduceLanes(add));
        finishTiled(panel, tile, x2, kv, row + 2, c, valid,
                a20.reduceLanes(add), a21.reduceLanes(add), a22.reduceLanes(add), a23.reduceLanes(add));
        finishTiled(panel, tile, x3, kv, row + 3, c, valid,
                a30.reduceLanes(add), a31.reduceLanes(add), a32.reduceLanes(add), a33.reduceLanes(add));
    }

    /** Panel row r (row {@code row} of x) against the 4 tile rows. */
    private void block1x4(float[] panel, float[] tile, int r, int row, int c, int valid) {
        int xa = r * k;
        int kv = Lanes.F.loopBound(k);
        FloatVector a0 = FloatVector.zero(Lanes.F), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < kv; i += L) {
            FloatVector u = FloatVector.fromArray(Lanes.F, panel, xa + i);
            a0 = FloatVector.fromArray(Lanes.F, tile, i).fma(u, a0);
            a1 = FloatVector.fromArray(Lanes.F, tile, k + i).fma(u, a1);
            a2 = FloatVector.fromArray(Lanes.F, tile, 2 * k + i).fma(u, a2);
            a3 = FloatVector.fromArray(Lanes.F, tile, 3 * k + i).fma(u, a3);
        }
        VectorOperators.Associative add = VectorOperators.ADD;
        finishTiled(panel, tile, xa, kv, row, c, valid,
                a0.reduceLanes(add), a1.reduceLanes(add), a2.reduceLanes(add), a3.reduceLanes(add));
    }

    /** Adds the scalar tail {@code [kv, K)} to the 4 reduced sums and stores the valid outputs. */
    private void finishTiled(float[] panel, float[] tile, int xa, int kv, int row, int c, int valid,
                             float s0, float s1, float s2, float s3) {
        for (int i = kv; i < k; i++) {
            float u = panel[xa + i];
            s0 += u * tile[i];
            s1 += u * tile[k + i];
            s2 += u * tile[2 * k + i];
            s3 += u * tile[3 * k + i];
        }
        store4(row, c, valid, s0, s1, s2, s3);
    }

    // ---- output ----------------------------------------------------------------------------------

    /** Stores out[r, c .. c+valid) from s0..s3 (plus bias). */
    private void store4(int r, int c, int valid, float s0, float s1, float s2, float s3) {
        store(r, c, s0);
        if (valid > 1) {
            store(r, c + 1, s1);
        }
        if (valid > 2) {
            store(r, c + 2, s2);
        }
        if (valid > 3) {
            store(r, c + 3, s3);
        }
    }

    private void store(int r, int c, float value) {
        if (bs != null) {
            value += Lanes.read(bt, bs, bOff + c * bStride);
        }
        os.set(Lanes.F32_LE, (oOff + r * oRow + c) * 4, value);
    }

    /**
     * True if the bound call reads the weights in place, row block by row block (decode, small batches), so any
     * split of the output columns into whole row blocks costs the same per column; false for the prefill paths,
     * whose tiles prefer equal chunks.
     */
    public boolean readsInPlace() {
        return bf16DotCall || (!tiled() && !usesGemm());
    }

    /** Output columns (rows of w) of the bound call. */
    public int columns() {
        return n;
    }
}
