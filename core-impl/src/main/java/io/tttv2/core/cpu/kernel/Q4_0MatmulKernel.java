package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The matmul of {@link QuantizedMatmulKernel} for Q4_0 weights: a row is K/32 blocks of
 * {@code [d: f16][qs: u8 × 16]}, value j the low nibble of qs[j] and value j + 16 its high nibble, both
 * offset by 8. Decode loads a block's 16 bytes once and zero-extends them to int lanes; each nibble is shifted
 * into the top of the mantissa of 1.0f (a shift, then a mask and an or, which C2 fuses into one
 * {@code vpternlogd}), which makes the float 1 + q/16 without an I2F conversion. That is multiplied into x[j]
 * (x[j + 16]) and the block's sum, which starts from −1.5·x of the block (made once per call), scaled by d:
 * {@code Σ d·Σ (q − 8)·x = 16·Σ d·Σ ((1 + q/16)·x − 1.5·x)}, four weight rows sharing every x load. Every
 * vector expression is written out in the loop (helpers taking vectors were not inlined in this loop, and
 * boxing made it 10× slower).
 */
public final class Q4_0MatmulKernel extends QuantizedMatmulKernel {

    private static final int BLOCK = 32;
    private static final int HALF = 16;
    private static final int BLOCK_BYTES = 18;
    private static final int L = Lanes.L;
    private static final jdk.incubator.vector.VectorSpecies<Byte> B = Q8_0MatmulKernel.B;
    /** Mantissa bits 19..22 of a float: where a nibble goes to become the float 1 + q/16. */
    private static final int NIBBLE = 0xF << 19;
    /** 1.0f. */
    private static final int ONE = 0x3F800000;

    @Override
    public DType dtype() {
        return DType.Q4_0;
    }

    @Override
    protected void rows(float[] xf, int nFrom, int nTo) {
        int blocks = k / BLOCK;
        // Σ (q − 8)·x = 16·Σ ((1 + q/16)·x − 1.5·x): per block, −1.5·x summed into L lanes, once per call, is
        // where each block's sum starts, so the offsets cancel within the block (not against the whole row)
        float[] start = ThreadScratch.floats(ThreadScratch.WEIGHT, m * blocks * L);   // [M, K / 32, L]
        for (int rb = 0; rb < m * blocks; rb++) {
            for (int lane = 0; lane < L; lane++) {
                float t = 0;
                for (int j = lane; j < BLOCK; j += L) {
                    t += xf[rb * BLOCK + j];
                }
                start[rb * L + lane] = -1.5f * t;
            }
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
                for (int b = 0; b < blocks; b++) {
                    long o = (long) b * BLOCK_BYTES + 2;
                    FloatVector s0 = FloatVector.fromArray(Lanes.F, start, (r * blocks + b) * L), s1 = s0, s2 = s0, s3 = s0;
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
                        // the low nibble moved to mantissa bits 19..22 of 1.0f: the float 1 + q/16, no I2F
                        s0 = p0.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(lo, s0);
                        s1 = p1.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(lo, s1);
                        s2 = p2.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(lo, s2);
                        s3 = p3.lanewise(VectorOperators.LSHL, 19).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(lo, s3);
                        s0 = p0.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(hi, s0);
                        s1 = p1.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(hi, s1);
                        s2 = p2.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(hi, s2);
                        s3 = p3.lanewise(VectorOperators.LSHL, 15).and(NIBBLE).or(ONE).reinterpretAsFloats().fma(hi, s3);
                    }
                    float d0 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w0 + o - 2));
                    a0 = s0.fma(FloatVector.broadcast(Lanes.F, d0), a0);
                    float d1 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w1 + o - 2));
                    a1 = s1.fma(FloatVector.broadcast(Lanes.F, d1), a1);
                    float d2 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w2 + o - 2));
                    a2 = s2.fma(FloatVector.broadcast(Lanes.F, d2), a2);
                    float d3 = Float.float16ToFloat(ws.get(Lanes.I16_LE, w3 + o - 2));
                    a3 = s3.fma(FloatVector.broadcast(Lanes.F, d3), a3);
                }
                VectorOperators.Associative add = VectorOperators.ADD;
                store4(r, c, valid, 16 * a0.reduceLanes(add), 16 * a1.reduceLanes(add), 16 * a2.reduceLanes(add),
                        16 * a3.reduceLanes(add));
            }
        }
    }

    @Override
    protected void dequantizeRow(long rowByte, float[] dst, int at) {
        int blocks = k / BLOCK;
        for (int b = 0; b < blocks; b++) {
            long o = rowByte + (long) b * BLOCK_BYTES;
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
