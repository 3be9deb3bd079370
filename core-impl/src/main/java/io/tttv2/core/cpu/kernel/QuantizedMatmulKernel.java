package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code out[M, N] = x[M, K] · w[N, K]ᵀ (+ bias[N])} with w in a block-quantised dtype, read in place. One
 * subclass per weight format (chosen once, by {@link QuantizedMatmuls#forThisThread}); work is split over N,
 * 4 rows of w at a time, as in the float kernel.
 *
 * <ul>
 *   <li>Decode (M &lt; 4): {@link #rows} — the format's own loop over the blocks of 4 weight rows at once.</li>
 *   <li>Prefill (M ≥ 4): 4 rows of w are dequantised once into a per-thread F32 tile [4, K] by
 *       {@link #dequantizeRow}, then a 4×4 register block (4 rows of x × 4 tile rows) runs over a panel of
 *       up to 64 rows of x, so the dequantisation is paid once per 64 rows of x.</li>
 * </ul>
 * Activations stay F32 (the weights are widened to float in registers); see {@code QuantizedMatmulBenchmark}
 * for why that beats quantising x to int8 with the Vector API on this kind of CPU.
 *
 * <p>One instance per calling thread and format: {@link #bind} sets the operands of one call, then the
 * instance is the loop body handed to the pool, so a call allocates nothing.
 */
public abstract sealed class QuantizedMatmulKernel implements WorkerPool.RangeBody
        permits Q8_0MatmulKernel, Q4_0MatmulKernel, Q4_KMatmulKernel, Q5_KMatmulKernel, Q6_KMatmulKernel,
        KQuantMatmulKernel {

    /** Rows of w per register block, and the pool's chunk granule. */
    public static final int ROW_BLOCK = 4;

    /** Rows of x per panel: 64 × K floats stay in L2 while the weight tiles stream by. */
    private static final int PANEL_ROWS = 64;

    private static final int L = Lanes.L;

    /**
     * The smallest M that takes the packed prefill GEMM ({@link PrefillGemm}, tiles by {@link #dequantizeRange});
     * by default none: on the 1B layer at M = 64 and 2 workers the 4×4 blocks below measured 3–9 % faster for
     * Q8_0/Q4_0 in quiet round-robin runs (docs/kernels.md). The system property
     * {@code tttv2.matmul.quantizedGemmRows} sets it, for benchmarks.
     */
    public static final int GEMM_ROWS = Integer.getInteger("tttv2.matmul.quantizedGemmRows", Integer.MAX_VALUE);

    /** This instance's {@link #GEMM_ROWS}: tests and a benchmark in this package run both paths in one JVM. */
    int gemmRows = GEMM_ROWS;

    /** The packed prefill GEMM over this kernel's weights, dequantised row by row ({@link #dequantizeRow}). */
    private final PrefillGemm gemm = new PrefillGemm(rangeGranule(), (row, kFrom, count, dst, at) -> {
        if (count == this.k) {
            dequantizeRow(this.wOff + row * this.wRowBytes, dst, at);
        } else {
            dequantizeRange(this.wOff + row * this.wRowBytes, kFrom, count, dst, at);
        }
    });

    /**
     * Per-thread buffers: [0] x rows as F32 [min(M, 64), K], [1] the weight tile [4, K], [2] a format's decoded
     * sub-block scales of 4 rows ({@link #scales}).
     */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[3][0]);

    // operands of the call in progress: x and out offsets in elements, w in bytes
    protected MemorySegment xs;
    protected long xOff;
    protected long xRow;
    protected MemorySegment ws;
    protected long wOff;        // bytes to row 0 of w
    protected long wRowBytes;   // bytes from one row of w to the next
    private MemorySegment bs;
    private DType bt;
    private long bOff;
    private long bStride;
    private MemorySegment os;
    private long oOff;
    private long oRow;
    protected int m;
    protected int k;
    protected int n;

    /** The weight dtype this kernel reads. */
    public abstract DType dtype();

    /**
     * Binds one call's operands: x [M, K] F32, w [N, K] of {@link #dtype()}, bias [N] or null, out [M, N] F32;
     * x and out with unit stride along their last dimension, K a whole number of blocks.
     */
    public void bind(Tensor x, Tensor w, Tensor bias, Tensor out) {
        if (w.dtype() != dtype()) {
            throw new IllegalArgumentException("a " + dtype() + " matmul kernel was given " + w);
        }
        xs = x.base();
        xOff = x.offset();
        xRow = x.stride(0);
        ws = w.base();
        wOff = TensorRows.byteOffset(w, 0);
        wRowBytes = dtype().bytesFor(w.stride(0));
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
        if (m >= gemmRows) {
            gemm.bind(x, bias, out);
        }
    }

    /** Drops the references to the last call's memory. */
    public void unbind() {
        xs = ws = bs = os = null;
        gemm.unbind();
    }

    /** Output columns (rows of w) of the bound call. */
    public int columns() {
        return n;
    }

    /** Computes output columns {@code [nFrom, nTo)} for every row of x. */
    @Override
    public void run(int nFrom, int nTo) {
        if (m >= gemmRows) {
            gemm.run(nFrom, nTo);
            return;
        }
        float[][] buffers = BUFFERS.get();
        int panelRows = Math.min(m, PANEL_ROWS);
        if (buffers[0].length < panelRows * k) {
            buffers[0] = new float[panelRows * k];
        }
        if (m < 4) {
            float[] xf = buffers[0];   // [M, K]
            for (int r = 0; r < m; r++) {
                MemorySegment.copy(xs, Lanes.F32_LE, (xOff + r * xRow) * 4, xf, r * k, k);
            }
            rows(xf, nFrom, nTo);
        } else {
            if (buffers[1].length < ROW_BLOCK * k) {
                buffers[1] = new float[ROW_BLOCK * k];
            }
            tiled(buffers[0], buffers[1], nFrom, nTo);
        }
    }

    // ---- per format --------------------------------------------------------------------------------

    /**
     * Decode: out[r, c] for every row r of x ({@code xf}, F32 [M, K]) and every c in {@code [nFrom, nTo)},
     * stored through {@link #store4}. A format without an in-place loop dequantises tiles instead.
     */
    protected void rows(float[] xf, int nFrom, int nTo) {
        float[][] buffers = BUFFERS.get();
        if (buffers[1].length < ROW_BLOCK * k) {
            buffers[1] = new float[ROW_BLOCK * k];
        }
        float[] tile = buffers[1];
        for (int c = nFrom; c < nTo; c += ROW_BLOCK) {
            int valid = Math.min(ROW_BLOCK, nTo - c);
            fillTile(tile, c, nTo);
            for (int r = 0; r < m; r++) {
                block1x4(xf, tile, r, r, c, valid);
            }
        }
    }

    /**
     * This thread's buffer for a format's decoded scales, at least n floats: the K-quants decode each 4-row
     * group's sub-block scales into it before their vector loop, so that loop makes no call (a call spills every
     * live vector register, and C2 stops inlining small helpers in a method this big).
     */
    protected static float[] scales(int n) {
        float[][] buffers = BUFFERS.get();
        if (buffers[2].length < n) {
            buffers[2] = new float[n];
        }
        return buffers[2];
    }

    /** Dequantises row {@code row} of w (K values, starting {@code rowByte} bytes into ws) into dst[at ..]. */
    protected abstract void dequantizeRow(long rowByte, float[] dst, int at);

    /**
     * The multiple of K at which {@link #dequantizeRange} can start and stop (its block size), or 0 if the format
     * dequantises whole rows only; then the prefill GEMM widens tiles of whole rows. A constant: it is read while
     * the kernel is constructed.
     */
    protected int rangeGranule() {
        return 0;
    }

    /**
     * The prefill GEMM's panel variant of {@link #dequantizeRow}: values {@code [kFrom, kFrom + count)} of the row
     * starting {@code rowByte} bytes into ws, into dst[at ..]; kFrom and count multiples of {@link #rangeGranule}.
     */
    protected void dequantizeRange(long rowByte, int kFrom, int count, float[] dst, int at) {
        throw new UnsupportedOperationException(dtype() + " dequantises whole rows only");
    }

    // ---- prefill: dequantised tiles, x panels, 4×4 register blocks -------------------------------------

    private void tiled(float[] panel, float[] tile, int nFrom, int nTo) {
        for (int p = 0; p < m; p += PANEL_ROWS) {
            int rows = Math.min(PANEL_ROWS, m - p);
            for (int r = 0; r < rows; r++) {
                MemorySegment.copy(xs, Lanes.F32_LE, (xOff + (p + r) * xRow) * 4, panel, r * k, k);
            }
            for (int c = nFrom; c < nTo; c += ROW_BLOCK) {
                int valid = Math.min(ROW_BLOCK, nTo - c);
                fillTile(tile, c, nTo);
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

    /** Rows c..c+3 of w into tile [4, K]; a partial block repeats row nTo − 1. */
    private void fillTile(float[] tile, int c, int nTo) {
        for (int j = 0; j < ROW_BLOCK; j++) {
            dequantizeRow(wOff + Math.min(c + j, nTo - 1) * wRowBytes, tile, j * k);
        }
    }

    /** Panel rows r..r+3 (rows row..row+3 of x) against the 4 tile rows: 16 accumulators. */
    private void block4x4(float[] panel, float[] tile, int r, int row, int c, int valid) {
        int x0 = r * k;
        int x1 = x0 + k;
        int x2 = x1 + k;
        int x3 = x2 + k;
        // K is whole blocks of 32, so a multiple of the vector length: no scalar tail
        FloatVector z = FloatVector.zero(Lanes.F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z;
        FloatVector a30 = z, a31 = z, a32 = z, a33 = z;
        for (int i = 0; i < k; i += L) {
            FloatVector v0 = FloatVector.fromArray(Lanes.F, tile, i);
            FloatVector v1 = FloatVector.fromArray(Lanes.F, tile, k + i);
            FloatVector v2 = FloatVector.fromArray(Lanes.F, tile, 2 * k + i);
            FloatVector v3 = FloatVector.fromArray(Lanes.F, tile, 3 * k + i);
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
        store4(row, c, valid, a00.reduceLanes(add), a01.reduceLanes(add), a02.reduceLanes(add), a03.reduceLanes(add));
        store4(row + 1, c, valid, a10.reduceLanes(add), a11.reduceLanes(add), a12.reduceLanes(add), a13.reduceLanes(add));
        store4(row + 2, c, valid, a20.reduceLanes(add), a21.reduceLanes(add), a22.reduceLanes(add), a23.reduceLanes(add));
        store4(row + 3, c, valid, a30.reduceLanes(add), a31.reduceLanes(add), a32.reduceLanes(add), a33.reduceLanes(add));
    }

    /** Panel row r (row {@code row} of x) against the 4 tile rows. */
    private void block1x4(float[] panel, float[] tile, int r, int row, int c, int valid) {
        int xa = r * k;
        FloatVector a0 = FloatVector.zero(Lanes.F), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < k; i += L) {
            FloatVector u = FloatVector.fromArray(Lanes.F, panel, xa + i);
            a0 = FloatVector.fromArray(Lanes.F, tile, i).fma(u, a0);
            a1 = FloatVector.fromArray(Lanes.F, tile, k + i).fma(u, a1);
            a2 = FloatVector.fromArray(Lanes.F, tile, 2 * k + i).fma(u, a2);
            a3 = FloatVector.fromArray(Lanes.F, tile, 3 * k + i).fma(u, a3);
        }
        VectorOperators.Associative add = VectorOperators.ADD;
        store4(row, c, valid, a0.reduceLanes(add), a1.reduceLanes(add), a2.reduceLanes(add), a3.reduceLanes(add));
    }

    // ---- output ------------------------------------------------------------------------------------

    /** Stores out[r, c .. c+valid) from s0..s3 (plus bias). */
    protected final void store4(int r, int c, int valid, float s0, float s1, float s2, float s3) {
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
}
