package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The matmul of {@link QuantizedMatmulKernel} for Q4_K weights, read in place: a row is K/256 super-blocks of
 * {@code [d: f16][dmin: f16][scales: 12][qs: 128]}, eight sub-blocks of 32 with 6-bit scales sc and mins m,
 * value = d·sc·q − dmin·m; sub-blocks 2p and 2p + 1 share qs[32p, 32p + 32), low and high nibbles.
 *
 * <p>Decode, per super-block and pair p: each 16-byte load of qs is zero-extended to int lanes once and gives
 * both sub-blocks' nibbles (a mask, a shift), widened to float and multiplied into x; each sub-block's sum is
 * scaled by d·sc onto the row's accumulator, and the mins come off as a scalar, from the 32-value block sums of
 * x: {@code Σ value·x = Σ_s d·sc_s·Σ q·x − dmin·m_s·Σ x}. Four weight rows share every x load. Prefill
 * dequantises the 4-row tile with the same vector code. Every vector expression is written out in its loop
 * (a vector passed to a method C2 does not inline is boxed).
 */
public final class Q4_KMatmulKernel extends QuantizedMatmulKernel {

    private static final int QK = 256;
    private static final int SUB = 32;
    private static final int BLOCK_BYTES = 144;
    private static final int SCALES = 4;
    private static final int QS = 16;
    private static final int L = Lanes.L;
    private static final jdk.incubator.vector.VectorSpecies<Byte> B = Q8_0MatmulKernel.B;

    @Override
    public DType dtype() {
        return DType.Q4_K;
    }

    @Override
    protected void rows(float[] xf, int nFrom, int nTo) {
        int blocks = k / QK;
        int subs = k / SUB;
        float[] xsum = blockSums(xf, m * subs, SUB);   // [M, K / 32]: the mins multiply these
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
                        FloatVector e0 = FloatVector.zero(Lanes.F), e1 = e0, e2 = e0, e3 = e0;
                        FloatVector h0 = e0, h1 = e0, h2 = e0, h3 = e0;
                        for (int i = 0; i < SUB; i += L) {
                            FloatVector lo = FloatVector.fromArray(Lanes.F, xf, xb + 64 * p + i);
                            FloatVector hi = FloatVector.fromArray(Lanes.F, xf, xb + 64 * p + SUB + i);
                            IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B, ws, w0 + q + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B, ws, w1 + q + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            IntVector p2 = (IntVector) ByteVector.fromMemorySegment(B, ws, w2 + q + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            IntVector p3 = (IntVector) ByteVector.fromMemorySegment(B, ws, w3 + q + i, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            e0 = ((FloatVector) p0.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, e0);
                            e1 = ((FloatVector) p1.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, e1);
                            e2 = ((FloatVector) p2.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, e2);
                            e3 = ((FloatVector) p3.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, e3);
                            h0 = ((FloatVector) p0.lanewise(VectorOperators.LSHR, 4)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, h0);
                            h1 = ((FloatVector) p1.lanewise(VectorOperators.LSHR, 4)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, h1);
                            h2 = ((FloatVector) p2.lanewise(VectorOperators.LSHR, 4)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, h2);
                            h3 = ((FloatVector) p3.lanewise(VectorOperators.LSHR, 4)
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
                    ((FloatVector) packed.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(de, me)
                            .intoArray(dst, to + i);
                    ((FloatVector) packed.lanewise(VectorOperators.LSHR, 4)
                            .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(dOdd, mOdd).intoArray(dst, to + SUB + i);
                }
            }
        }
    }

    static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(Lanes.LE);
    static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(Lanes.LE);

    /**
     * Sub-block s's 6-bit scale (low byte) and min (second byte) from the 12 scale bytes, bytes 0–7 in
     * {@code lo} and 8–11 in {@code hi} (little-endian), as ggml's {@code get_scale_min_k4} packs them: for
     * s &lt; 4 the low six bits of bytes s and s + 4; for s ≥ 4 the nibbles of byte s + 4 with the top two bits of
     * bytes s − 4 and s above them. Shared by Q5_K.
     */
    static int scaleMin(long lo, int hi, int s) {
        if (s < 4) {
            return (int) (lo >>> (8 * s)) & 63 | ((int) (lo >>> (8 * s + 32)) & 63) << 8;
        }
        int packed = hi >>> (8 * (s - 4)) & 0xFF;
        int sc = packed & 0xF | ((int) (lo >>> (8 * (s - 4) + 6)) & 3) << 4;
        int min = packed >>> 4 | ((int) (lo >>> (8 * s + 6)) & 3) << 4;
        return sc | min << 8;
    }

    /**
     * Decodes one row's sub-block scales, {@code blocks} super-blocks of {@code blockBytes} from byte
     * {@code row} of ws (d at +0, dmin at +2, the 12 scale bytes at +4, as in Q4_K and Q5_K): d·sc into
     * ks[at + 8b + s], dmin·m into ks[minAt + 8b + s].
     */
    static void decodeScales(MemorySegment ws, long row, int blocks, int blockBytes, float[] ks, int at, int minAt) {
        for (int b = 0; b < blocks; b++) {
            long o = row + (long) b * blockBytes;
            float d = Float.float16ToFloat(ws.get(Lanes.I16_LE, o));
            float dmin = Float.float16ToFloat(ws.get(Lanes.I16_LE, o + 2));
            long lo = ws.get(I64_LE, o + SCALES);
            int w0 = (int) lo;              // scale bytes 0–3
            int w1 = (int) (lo >>> 32);     // 4–7
            int w2 = ws.get(I32_LE, o + SCALES + 8);   // 8–11
            // the four 6-bit values of sub-blocks 0–3 and 4–7, one per byte, all at once (scaleMin's rule)
            int sc03 = w0 & 0x3F3F3F3F;
            int m03 = w1 & 0x3F3F3F3F;
            int sc47 = w2 & 0x0F0F0F0F | (w0 >>> 6 & 0x03030303) << 4;
            int m47 = w2 >>> 4 & 0x0F0F0F0F | (w1 >>> 6 & 0x03030303) << 4;
            int k = at + 8 * b;
            int n = minAt + 8 * b;
            ks[k] = d * (sc03 & 0xFF);
            ks[k + 1] = d * (sc03 >>> 8 & 0xFF);
            ks[k + 2] = d * (sc03 >>> 16 & 0xFF);
            ks[k + 3] = d * (sc03 >>> 24);
            ks[k + 4] = d * (sc47 & 0xFF);
            ks[k + 5] = d * (sc47 >>> 8 & 0xFF);
            ks[k + 6] = d * (sc47 >>> 16 & 0xFF);
            ks[k + 7] = d * (sc47 >>> 24);
            ks[n] = dmin * (m03 & 0xFF);
            ks[n + 1] = dmin * (m03 >>> 8 & 0xFF);
            ks[n + 2] = dmin * (m03 >>> 16 & 0xFF);
            ks[n + 3] = dmin * (m03 >>> 24);
            ks[n + 4] = dmin * (m47 & 0xFF);
            ks[n + 5] = dmin * (m47 >>> 8 & 0xFF);
            ks[n + 6] = dmin * (m47 >>> 16 & 0xFF);
            ks[n + 7] = dmin * (m47 >>> 24);
        }
    }

    /** x's sums over consecutive blocks of {@code width} values: {@code count} of them, in a scratch array. */
    static float[] blockSums(float[] xf, int count, int width) {
        float[] sums = ThreadScratch.floats(ThreadScratch.WEIGHT, count);
        for (int i = 0; i < count; i++) {
            float t = 0;
            for (int j = 0; j < width; j++) {
                t += xf[i * width + j];
            }
            sums[i] = t;
        }
        return sums;
    }
}
