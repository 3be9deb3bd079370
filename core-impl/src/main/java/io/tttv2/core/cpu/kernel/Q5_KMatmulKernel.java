package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The matmul of {@link QuantizedMatmulKernel} for Q5_K weights, read in place: Q4_K's super-block with a fifth
 * bit per value, {@code [d: f16][dmin: f16][scales: 12][qh: 32][qs: 128]}; value l of sub-block s takes its low
 * four bits as in Q4_K and its fifth from bit s of qh[l], value = d·sc·q − dmin·m with q in [0, 32).
 *
 * <p>The loops are {@link Q4_KMatmulKernel}'s: per pair p of sub-blocks, one load of qs and one of qh (zero-
 * extended to int lanes) give both sub-blocks' 5-bit values — the nibble, or-ed with qh's bit 2p (or 2p + 1)
 * moved to bit 4 — widened to float and multiplied into x; sub-block sums scaled by d·sc, mins taken off from
 * the 32-value block sums of x. Four weight rows share every x load; prefill dequantises the 4-row tile with
 * the same vector code. Every vector expression is written out in its loop (no vector crosses a call).
 */
public final class Q5_KMatmulKernel extends QuantizedMatmulKernel {

    private static final int QK = 256;
    private static final int SUB = 32;
    private static final int BLOCK_BYTES = 176;
    private static final int SCALES = 4;
    private static final int QH = 16;
    private static final int QS = 48;
    private static final int L = Lanes.L;
    private static final jdk.incubator.vector.VectorSpecies<Byte> B = Q8_0MatmulKernel.B;

    @Override
    public DType dtype() {
        return DType.Q5_K;
    }

    @Override
    protected void rows(float[] xf, int nFrom, int nTo) {
        int blocks = k / QK;
        int subs = k / SUB;
        float[] xsum = Q4_KMatmulKernel.blockSums(xf, m * subs, SUB);   // [M, K / 32]: the mins multiply these
        for (int c = nFrom; c < nTo; c += ROW_BLOCK) {
            int valid = Math.min(ROW_BLOCK, nTo - c);
            // a partial block repeats its last row, and stores only the valid outputs
            long w0 = wOff + c * wRowBytes;
            long w1 = wOff + Math.min(c + 1, nTo - 1) * wRowBytes;
            long w2 = wOff + Math.min(c + 2, nTo - 1) * wRowBytes;
            long w3 = wOff + Math.min(c + 3, nTo - 1) * wRowBytes;
            for (int r = 0; r < m; r++) {
                int xa = r * k;
                FloatVector a0 = FloatVector.zero(Lanes.F), a1 = a0, a2 = a0, a3 = a0;
                float c0 = 0, c1 = 0, c2 = 0, c3 = 0;      // Σ dmin·m·Σx, taken off at the end
                for (int b = 0; b < blocks; b++) {
                    long o = (long) b * BLOCK_BYTES;
                    float d0 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w0 + o));
                    float d1 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w1 + o));
                    float d2 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w2 + o));
                    float d3 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w3 + o));
                    float m0 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w0 + o + 2));
                    float m1 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w1 + o + 2));
                    float m2 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w2 + o + 2));
                    float m3 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w3 + o + 2));
                    int xb = xa + b * QK;
                    int sb = r * subs + b * 8;
                    for (int p = 0; p < 4; p++) {
                        long q = o + QS + 32 * p;
                        long qh = o + QH;
                        FloatVector e0 = FloatVector.zero(Lanes.F), e1 = e0, e2 = e0, e3 = e0;
                        FloatVector h0 = e0, h1 = e0, h2 = e0, h3 = e0;
                        for (int i = 0; i < SUB; i += L) {
                            FloatVector lo = FloatVector.fromArray(Lanes.F, xf, xb + 64 * p + i);
                            FloatVector hi = FloatVector.fromArray(Lanes.F, xf, xb + 64 * p + SUB + i);
                            IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B, ws, w0 + q + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            // qh's bits 2p and 2p + 1 moved to bit 4 (and bit 3, for the high nibble's value)
                            IntVector g0 = ((IntVector) ByteVector.fromMemorySegment(B, ws, w0 + qh + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0))
                                    .lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.LSHR, 2 * p);
                            e0 = ((FloatVector) p0.and(0x0F).or(g0.and(0x10))
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, e0);
                            h0 = ((FloatVector) p0.lanewise(VectorOperators.LSHR, 4)
                                    .or(g0.lanewise(VectorOperators.LSHR, 1).and(0x10))
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, h0);
                            IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B, ws, w1 + q + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            // qh's bits 2p and 2p + 1 moved to bit 4 (and bit 3, for the high nibble's value)
                            IntVector g1 = ((IntVector) ByteVector.fromMemorySegment(B, ws, w1 + qh + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0))
                                    .lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.LSHR, 2 * p);
                            e1 = ((FloatVector) p1.and(0x0F).or(g1.and(0x10))
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, e1);
                            h1 = ((FloatVector) p1.lanewise(VectorOperators.LSHR, 4)
                                    .or(g1.lanewise(VectorOperators.LSHR, 1).and(0x10))
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, h1);
                            IntVector p2 = (IntVector) ByteVector.fromMemorySegment(B, ws, w2 + q + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            // qh's bits 2p and 2p + 1 moved to bit 4 (and bit 3, for the high nibble's value)
                            IntVector g2 = ((IntVector) ByteVector.fromMemorySegment(B, ws, w2 + qh + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0))
                                    .lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.LSHR, 2 * p);
                            e2 = ((FloatVector) p2.and(0x0F).or(g2.and(0x10))
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, e2);
                            h2 = ((FloatVector) p2.lanewise(VectorOperators.LSHR, 4)
                                    .or(g2.lanewise(VectorOperators.LSHR, 1).and(0x10))
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, h2);
                            IntVector p3 = (IntVector) ByteVector.fromMemorySegment(B, ws, w3 + q + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            // qh's bits 2p and 2p + 1 moved to bit 4 (and bit 3, for the high nibble's value)
                            IntVector g3 = ((IntVector) ByteVector.fromMemorySegment(B, ws, w3 + qh + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0))
                                    .lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.LSHR, 2 * p);
                            e3 = ((FloatVector) p3.and(0x0F).or(g3.and(0x10))
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, e3);
                            h3 = ((FloatVector) p3.lanewise(VectorOperators.LSHR, 4)
                                    .or(g3.lanewise(VectorOperators.LSHR, 1).and(0x10))
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, h3);
                        }
                        float xe = xsum[sb + 2 * p];
                        float xo = xsum[sb + 2 * p + 1];
                        int s0 = scaleMin(ws, w0 + o + SCALES, 2 * p), t0 = scaleMin(ws, w0 + o + SCALES, 2 * p + 1);
                        a0 = e0.fma(FloatVector.broadcast(Lanes.F, d0 * (s0 & 63)), a0);
                        a0 = h0.fma(FloatVector.broadcast(Lanes.F, d0 * (t0 & 63)), a0);
                        c0 += m0 * ((s0 >>> 8) * xe + (t0 >>> 8) * xo);
                        int s1 = scaleMin(ws, w1 + o + SCALES, 2 * p), t1 = scaleMin(ws, w1 + o + SCALES, 2 * p + 1);
                        a1 = e1.fma(FloatVector.broadcast(Lanes.F, d1 * (s1 & 63)), a1);
                        a1 = h1.fma(FloatVector.broadcast(Lanes.F, d1 * (t1 & 63)), a1);
                        c1 += m1 * ((s1 >>> 8) * xe + (t1 >>> 8) * xo);
                        int s2 = scaleMin(ws, w2 + o + SCALES, 2 * p), t2 = scaleMin(ws, w2 + o + SCALES, 2 * p + 1);
                        a2 = e2.fma(FloatVector.broadcast(Lanes.F, d2 * (s2 & 63)), a2);
                        a2 = h2.fma(FloatVector.broadcast(Lanes.F, d2 * (t2 & 63)), a2);
                        c2 += m2 * ((s2 >>> 8) * xe + (t2 >>> 8) * xo);
                        int s3 = scaleMin(ws, w3 + o + SCALES, 2 * p), t3 = scaleMin(ws, w3 + o + SCALES, 2 * p + 1);
                        a3 = e3.fma(FloatVector.broadcast(Lanes.F, d3 * (s3 & 63)), a3);
                        a3 = h3.fma(FloatVector.broadcast(Lanes.F, d3 * (t3 & 63)), a3);
                        c3 += m3 * ((s3 >>> 8) * xe + (t3 >>> 8) * xo);
                    }
                }
                VectorOperators.Associative add = VectorOperators.ADD;
                store4(r, c, valid, a0.reduceLanes(add) - c0, a1.reduceLanes(add) - c1,
                        a2.reduceLanes(add) - c2, a3.reduceLanes(add) - c3);
            }
        }
    }

    @Override
    protected void dequantizeRow(long rowByte, float[] dst, int at) {
        int blocks = k / QK;
        for (int b = 0; b < blocks; b++) {
            long o = rowByte + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(ws.get(Lanes.I16_LE, o));
            float dmin = Float.float16ToFloat(ws.get(Lanes.I16_LE, o + 2));
            for (int p = 0; p < 4; p++) {
                int se = scaleMin(ws, o + SCALES, 2 * p);
                int so = scaleMin(ws, o + SCALES, 2 * p + 1);
                FloatVector de = FloatVector.broadcast(Lanes.F, d * (se & 63));
                FloatVector me = FloatVector.broadcast(Lanes.F, -dmin * (se >>> 8));
                FloatVector dOdd = FloatVector.broadcast(Lanes.F, d * (so & 63));
                FloatVector mOdd = FloatVector.broadcast(Lanes.F, -dmin * (so >>> 8));
                int to = at + b * QK + 64 * p;
                for (int i = 0; i < SUB; i += L) {
                    IntVector packed = (IntVector) ByteVector.fromMemorySegment(B, ws, o + QS + 32 * p + i, Lanes.LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                    IntVector high = ((IntVector) ByteVector.fromMemorySegment(B, ws, o + QH + i, Lanes.LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0))
                            .lanewise(VectorOperators.LSHL, 4).lanewise(VectorOperators.LSHR, 2 * p);
                    ((FloatVector) packed.and(0x0F).or(high.and(0x10))
                            .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(de, me).intoArray(dst, to + i);
                    ((FloatVector) packed.lanewise(VectorOperators.LSHR, 4).or(high.lanewise(VectorOperators.LSHR, 1).and(0x10))
                            .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(dOdd, mOdd).intoArray(dst, to + SUB + i);
                }
            }
        }
    }

    private static int scaleMin(java.lang.foreign.MemorySegment ws, long scales, int s) {
        return Q4_KMatmulKernel.scaleMin(ws, scales, s);     // the same 12-byte packing as Q4_K's
    }
}
