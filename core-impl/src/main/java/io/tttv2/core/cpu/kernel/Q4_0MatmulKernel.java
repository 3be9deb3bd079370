package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The matmul of {@link QuantizedMatmulKernel} for Q4_0 weights: a row is K/32 blocks of
 * {@code [d: f16][qs: u8 × 16]}, value j the low nibble of qs[j] and value j + 16 its high nibble, both
 * offset by 8. Decode loads a block's 16 bytes once, splits low and high nibbles in byte lanes (and, shift,
 * minus 8), widens each to float and multiplies it into x[j] and x[j + 16]; the block's sum is scaled by d:
 * {@code acc += d · Σ (q − 8)·x}, four weight rows sharing every x load.
 */
public final class Q4_0MatmulKernel extends QuantizedMatmulKernel {

    private static final int BLOCK = 32;
    private static final int HALF = 16;
    private static final int BLOCK_BYTES = 18;
    private static final int L = Lanes.L;

    @Override
    public DType dtype() {
        return DType.Q4_0;
    }

    @Override
    protected void rows(float[] xf, int nFrom, int nTo) {
        int blocks = k / BLOCK;
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
                for (int b = 0; b < blocks; b++) {
                    long o = (long) b * BLOCK_BYTES + 2;
                    FloatVector s0 = FloatVector.zero(Lanes.F), s1 = s0, s2 = s0, s3 = s0;
                    for (int i = 0; i < HALF; i += L) {
                        int xb = xa + b * BLOCK + i;
                        FloatVector lo = FloatVector.fromArray(Lanes.F, xf, xb);
                        FloatVector hi = FloatVector.fromArray(Lanes.F, xf, xb + HALF);
                        ByteVector p0 = ByteVector.fromMemorySegment(Q8_0MatmulKernel.B, ws, w0 + o + i, Lanes.LE);
                        ByteVector p1 = ByteVector.fromMemorySegment(Q8_0MatmulKernel.B, ws, w1 + o + i, Lanes.LE);
                        ByteVector p2 = ByteVector.fromMemorySegment(Q8_0MatmulKernel.B, ws, w2 + o + i, Lanes.LE);
                        ByteVector p3 = ByteVector.fromMemorySegment(Q8_0MatmulKernel.B, ws, w3 + o + i, Lanes.LE);
                        s0 = low(p0).fma(lo, s0);
                        s1 = low(p1).fma(lo, s1);
                        s2 = low(p2).fma(lo, s2);
                        s3 = low(p3).fma(lo, s3);
                        s0 = high(p0).fma(hi, s0);
                        s1 = high(p1).fma(hi, s1);
                        s2 = high(p2).fma(hi, s2);
                        s3 = high(p3).fma(hi, s3);
                    }
                    a0 = s0.fma(scale(w0 + o - 2), a0);
                    a1 = s1.fma(scale(w1 + o - 2), a1);
                    a2 = s2.fma(scale(w2 + o - 2), a2);
                    a3 = s3.fma(scale(w3 + o - 2), a3);
                }
                VectorOperators.Associative add = VectorOperators.ADD;
                store4(r, c, valid, a0.reduceLanes(add), a1.reduceLanes(add), a2.reduceLanes(add), a3.reduceLanes(add));
            }
        }
    }

    /** The low nibbles minus 8, as floats (JDK vector methods only: C2 inlines this). */
    private static FloatVector low(ByteVector packed) {
        return (FloatVector) packed.and((byte) 0x0F).sub((byte) 8).convertShape(VectorOperators.B2F, Lanes.F, 0);
    }

    /** The high nibbles minus 8, as floats. */
    private static FloatVector high(ByteVector packed) {
        return (FloatVector) packed.lanewise(VectorOperators.LSHR, 4).and((byte) 0x0F).sub((byte) 8)
                .convertShape(VectorOperators.B2F, Lanes.F, 0);
    }

    /** The block scale d at byte {@code at}, in every lane. */
    private FloatVector scale(long at) {
        return FloatVector.broadcast(Lanes.F, Float.float16ToFloat(ws.get(Lanes.I16_LE, at)));
    }

    @Override
    protected void dequantizeRow(long rowByte, float[] dst, int at) {
        int blocks = k / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long o = rowByte + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(ws.get(Lanes.I16_LE, o));
            for (int i = 0; i < HALF; i += L) {
                ByteVector packed = ByteVector.fromMemorySegment(Q8_0MatmulKernel.B, ws, o + 2 + i, Lanes.LE);
                low(packed).mul(d).intoArray(dst, at + b * BLOCK + i);
                high(packed).mul(d).intoArray(dst, at + b * BLOCK + HALF + i);
            }
        }
    }
}
