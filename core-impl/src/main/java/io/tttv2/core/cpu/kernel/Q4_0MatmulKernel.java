package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The matmul of {@link QuantizedMatmulKernel} for Q4_0 weights: a row is K/32 blocks of
 * {@code [d: f16][qs: u8 × 16]}, value j the low nibble of qs[j] and value j + 16 its high nibble, both
 * offset by 8. Decode loads a block's 16 bytes once, zero-extends them to int lanes, cuts out the low and high
 * nibbles there (a mask; a shift), converts each to float and multiplies it into x[j] and x[j + 16]; the
 * block's sum is scaled by d, and the offset comes off once per row from the block sums of x:
 * {@code acc += d · Σ q·x − 8 · d · Σ x}, four weight rows sharing every x load. Every vector expression is
 * written out in the loop (helpers taking vectors were not inlined in this loop, and boxing made it 10× slower).
 */
public sealed class Q4_0MatmulKernel extends QuantizedMatmulKernel permits NativeQ4_0MatmulKernel {

    private static final int BLOCK = 32;
    private static final int HALF = 16;
    private static final int BLOCK_BYTES = 18;
    private static final int L = Lanes.L;
    private static final jdk.incubator.vector.VectorSpecies<Byte> B = Q8_0MatmulKernel.B;

    @Override
    public DType dtype() {
        return DType.Q4_0;
    }

    @Override
    protected void rows(float[] xf, int nFrom, int nTo) {
        int blocks = k / BLOCK;
        // Σ (q − 8)·x = Σ q·x − 8·Σ x: the block sums of x, once per call, take the "− 8" out of the loop
        float[] xsum = ThreadScratch.floats(ThreadScratch.WEIGHT, m * blocks);   // [M, K / 32]
        for (int i = 0; i < m * blocks; i++) {
            float t = 0;
            for (int j = 0; j < BLOCK; j++) {
                t += xf[i * BLOCK + j];
            }
            xsum[i] = t;
        }
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
                float c0 = 0, c1 = 0, c2 = 0, c3 = 0;      // Σ_b d·Σx, to take 8 times off at the end
                for (int b = 0; b < blocks; b++) {
                    long o = (long) b * BLOCK_BYTES + 2;
                    FloatVector s0 = FloatVector.zero(Lanes.F), s1 = s0, s2 = s0, s3 = s0;
                    for (int i = 0; i < HALF; i += L) {
                        int xb = xa + b * BLOCK + i;
                        FloatVector lo = FloatVector.fromArray(Lanes.F, xf, xb);
                        FloatVector hi = FloatVector.fromArray(Lanes.F, xf, xb + HALF);
                        // written out, no helpers: a vector passed to a method C2 does not inline is boxed
                        IntVector p0 = (IntVector) ByteVector.fromMemorySegment(B, ws, w0 + o + i, Lanes.LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                        IntVector p1 = (IntVector) ByteVector.fromMemorySegment(B, ws, w1 + o + i, Lanes.LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                        IntVector p2 = (IntVector) ByteVector.fromMemorySegment(B, ws, w2 + o + i, Lanes.LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                        IntVector p3 = (IntVector) ByteVector.fromMemorySegment(B, ws, w3 + o + i, Lanes.LE)
                                .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                        s0 = ((FloatVector) p0.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, s0);
                        s1 = ((FloatVector) p1.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, s1);
                        s2 = ((FloatVector) p2.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, s2);
                        s3 = ((FloatVector) p3.and(0x0F).convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(lo, s3);
                        s0 = ((FloatVector) p0.lanewise(VectorOperators.LSHR, 4)
                                .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, s0);
                        s1 = ((FloatVector) p1.lanewise(VectorOperators.LSHR, 4)
                                .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, s1);
                        s2 = ((FloatVector) p2.lanewise(VectorOperators.LSHR, 4)
                                .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, s2);
                        s3 = ((FloatVector) p3.lanewise(VectorOperators.LSHR, 4)
                                .convertShape(VectorOperators.I2F, Lanes.F, 0)).fma(hi, s3);
                    }
                    float d0 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w0 + o - 2));
                    a0 = s0.fma(FloatVector.broadcast(Lanes.F, d0), a0);
                    c0 += d0 * xsum[r * blocks + b];
                    float d1 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w1 + o - 2));
                    a1 = s1.fma(FloatVector.broadcast(Lanes.F, d1), a1);
                    c1 += d1 * xsum[r * blocks + b];
                    float d2 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w2 + o - 2));
                    a2 = s2.fma(FloatVector.broadcast(Lanes.F, d2), a2);
                    c2 += d2 * xsum[r * blocks + b];
                    float d3 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w3 + o - 2));
                    a3 = s3.fma(FloatVector.broadcast(Lanes.F, d3), a3);
                    c3 += d3 * xsum[r * blocks + b];
                }
                VectorOperators.Associative add = VectorOperators.ADD;
                store4(r, c, valid, a0.reduceLanes(add) - 8 * c0, a1.reduceLanes(add) - 8 * c1,
                        a2.reduceLanes(add) - 8 * c2, a3.reduceLanes(add) - 8 * c3);
            }
        }
    }

    @Override
    protected void dequantizeRow(long rowByte, float[] dst, int at) {
        dequantizeRange(rowByte, 0, k, dst, at);
    }

    @Override
    protected int rangeGranule() {
        return BLOCK;
    }

    @Override
    protected void dequantizeRange(long rowByte, int kFrom, int count, float[] dst, int at) {
        long first = rowByte + (long) (kFrom / BLOCK) * BLOCK_BYTES;
        for (int b = 0; b < count / BLOCK; b++) {
            long o = first + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(ws.get(Lanes.I16_LE, o));
            for (int i = 0; i < HALF; i += L) {
                IntVector packed = (IntVector) ByteVector.fromMemorySegment(B, ws, o + 2 + i, Lanes.LE)
                        .convertShape(VectorOperators.B2I, Lanes.I, 0);
                ((FloatVector) packed.and(0x0F).sub(8).convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(d)
                        .intoArray(dst, at + b * BLOCK + i);
                ((FloatVector) packed.lanewise(VectorOperators.ASHR, 4).and(0x0F).sub(8)
                        .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(d).intoArray(dst, at + b * BLOCK + HALF + i);
            }
        }
    }
}
