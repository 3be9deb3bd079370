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
            // d·sc [4, blocks, 8] then dmin·m [4, blocks, 8] of the 4 rows, decoded once for every row of x
            int rowScales = blocks * 8;
            int mins = 4 * rowScales;
            float[] ks = scales(2 * mins);
            Q4_KMatmulKernel.decodeScales(ws, w0, blocks, BLOCK_BYTES, ks, 0, mins);
            Q4_KMatmulKernel.decodeScales(ws, w1, blocks, BLOCK_BYTES, ks, rowScales, mins + rowScales);
            Q4_KMatmulKernel.decodeScales(ws, w2, blocks, BLOCK_BYTES, ks, 2 * rowScales, mins + 2 * rowScales);
            Q4_KMatmulKernel.decodeScales(ws, w3, blocks, BLOCK_BYTES, ks, 3 * rowScales, mins + 3 * rowScales);
            for (int r = 0; r < m; r++) {
                int xa = r * k;
                FloatVector a0 = FloatVector.zero(Lanes.F), a1 = a0, a2 = a0, a3 = a0;
                float c0 = 0, c1 = 0, c2 = 0, c3 = 0;      // Σ dmin·m·Σx, taken off at the end
                for (int b = 0; b < blocks; b++) {
                    long o = (long) b * BLOCK_BYTES;
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
                        int kb = b * 8 + 2 * p;
                        a0 = e0.fma(FloatVector.broadcast(Lanes.F, ks[kb]), a0);
                        a0 = h0.fma(FloatVector.broadcast(Lanes.F, ks[kb + 1]), a0);
                        c0 += ks[mins + kb] * xe + ks[mins + kb + 1] * xo;
                        a1 = e1.fma(FloatVector.broadcast(Lanes.F, ks[rowScales + kb]), a1);
                        a1 = h1.fma(FloatVector.broadcast(Lanes.F, ks[rowScales + kb + 1]), a1);
                        c1 += ks[mins + rowScales + kb] * xe + ks[mins + rowScales + kb + 1] * xo;
                        a2 = e2.fma(FloatVector.broadcast(Lanes.F, ks[2 * rowScales + kb]), a2);
                        a2 = h2.fma(FloatVector.broadcast(Lanes.F, ks[2 * rowScales + kb + 1]), a2);
                        c2 += ks[mins + 2 * rowScales + kb] * xe + ks[mins + 2 * rowScales + kb + 1] * xo;
                        a3 = e3.fma(FloatVector.broadcast(Lanes.F, ks[3 * rowScales + kb]), a3);
                        a3 = h3.fma(FloatVector.broadcast(Lanes.F, ks[3 * rowScales + kb + 1]), a3);
                        c3 += ks[mins + 3 * rowScales + kb] * xe + ks[mins + 3 * rowScales + kb + 1] * xo;
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
            long lo = ws.get(I64_LE, o + SCALES);
            int up = ws.get(I32_LE, o + SCALES + 8);
            for (int p = 0; p < 4; p++) {
                int se = scaleMin(lo, up, 2 * p);
                int so = scaleMin(lo, up, 2 * p + 1);
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

    private static final java.lang.foreign.ValueLayout.OfLong I64_LE = Q4_KMatmulKernel.I64_LE;
    private static final java.lang.foreign.ValueLayout.OfInt I32_LE = Q4_KMatmulKernel.I32_LE;

    private static int scaleMin(long lo, int hi, int s) {
        return Q4_KMatmulKernel.scaleMin(lo, hi, s);     // the same 12-byte packing as Q4_K's
    }
}
