package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.WorkerPool;
import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code out[M, N] = x[M, K] · w[N, K]ᵀ (+ bias[N])}, with w read in its own dtype (F32, BF16, F16) and
 * widened lane by lane. Work is split over N (rows of w) so each thread streams its own slice of the
 * weight; within a slice, 4 rows of w × 4 rows of x are register-blocked so every weight vector loaded
 * (and widened) feeds 4 FMAs, and every x vector feeds 4.
 *
 * <p>One instance per calling thread: {@link #bind} sets the operands of one call, then the instance is
 * the loop body handed to the pool, so a call allocates nothing.
 */
public final class MatmulKernel implements WorkerPool.RangeBody {

    /** Rows of w per register block, and the pool's chunk granule. */
    public static final int ROW_BLOCK = 4;

    private static final int L = Lanes.L;

    // operands of the call in progress; offsets and strides in elements
    private MemorySegment xs;
    private long xOff;
    private long xRow;
    private MemorySegment ws;
    private DType wt;
    private int wBytes;
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
        wBytes = wt.byteSize();
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
    }

    /** Drops the references to the last call's memory. */
    public void unbind() {
        xs = ws = bs = os = null;
    }

    /** Computes output columns {@code [nFrom, nTo)} for every row of x. */
    @Override
    public void run(int nFrom, int nTo) {
        int n = nFrom;
        for (; n + ROW_BLOCK <= nTo; n += ROW_BLOCK) {
            int r = 0;
            for (; r + 4 <= m; r += 4) {
                block4x4(r, n);
            }
            for (; r < m; r++) {
                block1x4(r, n);
            }
        }
        for (; n < nTo; n++) {
            for (int r = 0; r < m; r++) {
                store(r, n, dot(r, n));
            }
        }
    }

    private float dot(int r, int n) {
        long xa = xOff + r * xRow;
        long wa = wOff + n * wRow;
        int kv = Lanes.F.loopBound(k);
        FloatVector acc = FloatVector.zero(Lanes.F);
        for (int i = 0; i < kv; i += L) {
            FloatVector xv = Lanes.loadF32(xs, (xa + i) * 4);
            acc = Lanes.load(wt, ws, (wa + i) * wBytes).fma(xv, acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (int i = kv; i < k; i++) {
            sum += xs.get(Lanes.F32_LE, (xa + i) * 4) * Lanes.read(wt, ws, wa + i);
        }
        return sum;
    }

    /** One row of x against 4 rows of w. */
    private void block1x4(int r, int n) {
        long xa = xOff + r * xRow;
        long w0 = wOff + n * wRow;
        long w1 = w0 + wRow;
        long w2 = w1 + wRow;
        long w3 = w2 + wRow;
        int kv = Lanes.F.loopBound(k);
        FloatVector a0 = FloatVector.zero(Lanes.F);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        for (int i = 0; i < kv; i += L) {
            FloatVector xv = Lanes.loadF32(xs, (xa + i) * 4);
            a0 = Lanes.load(wt, ws, (w0 + i) * wBytes).fma(xv, a0);
            a1 = Lanes.load(wt, ws, (w1 + i) * wBytes).fma(xv, a1);
            a2 = Lanes.load(wt, ws, (w2 + i) * wBytes).fma(xv, a2);
            a3 = Lanes.load(wt, ws, (w3 + i) * wBytes).fma(xv, a3);
        }
        float s0 = a0.reduceLanes(VectorOperators.ADD);
        float s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD);
        float s3 = a3.reduceLanes(VectorOperators.ADD);
        for (int i = kv; i < k; i++) {
            float xv = xs.get(Lanes.F32_LE, (xa + i) * 4);
            s0 += xv * Lanes.read(wt, ws, w0 + i);
            s1 += xv * Lanes.read(wt, ws, w1 + i);
            s2 += xv * Lanes.read(wt, ws, w2 + i);
            s3 += xv * Lanes.read(wt, ws, w3 + i);
        }
        store(r, n, s0);
        store(r, n + 1, s1);
        store(r, n + 2, s2);
        store(r, n + 3, s3);
    }

    /** Four rows of x against 4 rows of w: 16 accumulators. */
    private void block4x4(int r, int n) {
        long x0 = xOff + r * xRow;
        long x1 = x0 + xRow;
        long x2 = x1 + xRow;
        long x3 = x2 + xRow;
        long w0 = wOff + n * wRow;
        long w1 = w0 + wRow;
        long w2 = w1 + wRow;
        long w3 = w2 + wRow;
        int kv = Lanes.F.loopBound(k);
        FloatVector z = FloatVector.zero(Lanes.F);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z;
        FloatVector a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z;
        FloatVector a30 = z, a31 = z, a32 = z, a33 = z;
        for (int i = 0; i < kv; i += L) {
            FloatVector v0 = Lanes.load(wt, ws, (w0 + i) * wBytes);
            FloatVector v1 = Lanes.load(wt, ws, (w1 + i) * wBytes);
            FloatVector v2 = Lanes.load(wt, ws, (w2 + i) * wBytes);
            FloatVector v3 = Lanes.load(wt, ws, (w3 + i) * wBytes);
            FloatVector u = Lanes.loadF32(xs, (x0 + i) * 4);
            a00 = v0.fma(u, a00);
            a01 = v1.fma(u, a01);
            a02 = v2.fma(u, a02);
            a03 = v3.fma(u, a03);
            u = Lanes.loadF32(xs, (x1 + i) * 4);
            a10 = v0.fma(u, a10);
            a11 = v1.fma(u, a11);
            a12 = v2.fma(u, a12);
            a13 = v3.fma(u, a13);
            u = Lanes.loadF32(xs, (x2 + i) * 4);
            a20 = v0.fma(u, a20);
            a21 = v1.fma(u, a21);
            a22 = v2.fma(u, a22);
            a23 = v3.fma(u, a23);
            u = Lanes.loadF32(xs, (x3 + i) * 4);
            a30 = v0.fma(u, a30);
            a31 = v1.fma(u, a31);
            a32 = v2.fma(u, a32);
            a33 = v3.fma(u, a33);
        }
        storeRow(r, n, kv, a00, a01, a02, a03);
        storeRow(r + 1, n, kv, a10, a11, a12, a13);
        storeRow(r + 2, n, kv, a20, a21, a22, a23);
        storeRow(r + 3, n, kv, a30, a31, a32, a33);
    }

    /** Reduces row r's 4 accumulators, adds the scalar tail {@code [kv, K)}, stores out[r, n..n+3]. */
    private void storeRow(int r, int n, int kv, FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
        float s0 = a0.reduceLanes(VectorOperators.ADD);
        float s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD);
        float s3 = a3.reduceLanes(VectorOperators.ADD);
        if (kv < k) {
            long xa = xOff + r * xRow;
            long w0 = wOff + n * wRow;
            for (int i = kv; i < k; i++) {
                float xv = xs.get(Lanes.F32_LE, (xa + i) * 4);
                s0 += xv * Lanes.read(wt, ws, w0 + i);
                s1 += xv * Lanes.read(wt, ws, w0 + wRow + i);
                s2 += xv * Lanes.read(wt, ws, w0 + 2 * wRow + i);
                s3 += xv * Lanes.read(wt, ws, w0 + 3 * wRow + i);
            }
        }
        store(r, n, s0);
        store(r, n + 1, s1);
        store(r, n + 2, s2);
        store(r, n + 3, s3);
    }

    private void store(int r, int n, float value) {
        if (bs != null) {
            value += Lanes.read(bt, bs, bOff + n * bStride);
        }
        os.set(Lanes.F32_LE, (oOff + r * oRow + n) * 4, value);
    }
}
