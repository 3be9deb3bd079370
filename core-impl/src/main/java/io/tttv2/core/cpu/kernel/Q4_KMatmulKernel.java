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
                    ((FloatVector) packed.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(de, me)
                            .intoArray(dst, to + i);
                    ((FloatVector) packed.lanewise(VectorOperators.LSHR, 4)
                            .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(dOdd, mOdd).intoArray(dst, to + SUB + i);
                }
            }
        }
    }

    /**
     * Sub-block s's 6-bit scale (low byte) and min (second byte) from the 12 scale bytes at {@code scales}
     * (ggml's {@code get_scale_min_k4}): for s &lt; 4 the low six bits of bytes s and s + 4; for s ≥ 4 the
     * nibbles of byte s + 4 with the top two bits of bytes s − 4 and s above them. Shared by Q5_K.
     */
    static int scaleMin(MemorySegment ws, long scales, int s) {
        if (s < 4) {
            return (u8(ws, scales + s) & 63) | (u8(ws, scales + s + 4) & 63) << 8;
        }
        int packed = u8(ws, scales + s + 4);
        int sc = (packed & 0xF) | (u8(ws, scales + s - 4) >>> 6) << 4;
        int min = (packed >>> 4) | (u8(ws, scales + s) >>> 6) << 4;
        return sc | min << 8;
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

    private static int u8(MemorySegment ws, long at) {
        return ws.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }
}
