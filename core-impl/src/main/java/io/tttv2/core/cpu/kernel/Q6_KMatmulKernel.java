package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The matmul of {@link QuantizedMatmulKernel} for Q6_K weights, read in place: a row is K/256 super-blocks of
 * {@code [ql: 128][qh: 64][scales: i8 × 16][d: f16]}, 16 sub-blocks of 16. In half h, value l + 32j (l &lt; 32,
 * j &lt; 4) has its low four bits in ql[64h + l + 32(j &amp; 1)] (the low nibble for j &lt; 2, the high one
 * after), its top two bits at bits 2j, 2j + 1 of qh[32h + l], and its scale scales[8h + 2j + l / 16]; value =
 * d·scale·(q − 32).
 *
 * <p>Decode, per half and per L values of l: two loads of ql and one of qh, zero-extended to int lanes, give
 * the four 6-bit values of each lane (masks and shifts), less 32, widened to float and multiplied into x; a
 * vector of L ≤ 16 lanes lies in one sub-block, so its products go onto the row's accumulator scaled by
 * d·scale. Four weight rows share every x load; prefill dequantises the 4-row tile with the same vector code.
 * Needs L ≤ 16 ({@link QuantizedMatmuls} falls back to the codec otherwise). Every vector expression is written
 * out in its loop (a vector passed to a method C2 does not inline is boxed).
 */
public final class Q6_KMatmulKernel extends QuantizedMatmulKernel {

    private static final int QK = 256;
    private static final int BLOCK_BYTES = 210;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;
    private static final int L = Lanes.L;
    private static final jdk.incubator.vector.VectorSpecies<Byte> B = Q8_0MatmulKernel.B;

    @Override
    public DType dtype() {
        return DType.Q6_K;
    }

    @Override
    protected void rows(float[] xf, int nFrom, int nTo) {
        int blocks = k / QK;
        for (int c = nFrom; c < nTo; c += ROW_BLOCK) {
            int valid = Math.min(ROW_BLOCK, nTo - c);
            // a partial block repeats its last row, and stores only the valid outputs
            long w0 = wOff + c * wRowBytes;
            long w1 = wOff + Math.min(c + 1, nTo - 1) * wRowBytes;
            long w2 = wOff + Math.min(c + 2, nTo - 1) * wRowBytes;
            long w3 = wOff + Math.min(c + 3, nTo - 1) * wRowBytes;
            // d·scale [4, blocks, 16] of the 4 rows, decoded once for every row of x (no call in the loop below)
            int rowScales = blocks * 16;
            float[] ks = scales(4 * rowScales);
            decodeScales(w0, blocks, ks, 0);
            decodeScales(w1, blocks, ks, rowScales);
            decodeScales(w2, blocks, ks, 2 * rowScales);
            decodeScales(w3, blocks, ks, 3 * rowScales);
            for (int r = 0; r < m; r++) {
                int xa = r * k;
                FloatVector a0 = FloatVector.zero(Lanes.F), a1 = a0, a2 = a0, a3 = a0;
                for (int b = 0; b < blocks; b++) {
                    long o = (long) b * BLOCK_BYTES;
                    for (int h = 0; h < 2; h++) {
                        long ql = o + 64 * h;
                        long qh = o + QH + 32 * h;
                        int xh = xa + b * QK + 128 * h;
                        for (int l = 0; l < 32; l += L) {
                            int sl = b * 16 + 8 * h + l / 16;     // value j's scale is 2j further on
                            FloatVector x0 = FloatVector.fromArray(Lanes.F, xf, xh + l);
                            FloatVector x1 = FloatVector.fromArray(Lanes.F, xf, xh + 32 + l);
                            FloatVector x2 = FloatVector.fromArray(Lanes.F, xf, xh + 64 + l);
                            FloatVector x3 = FloatVector.fromArray(Lanes.F, xf, xh + 96 + l);
                            // row 0: lo0 = ql[l..], lo1 = ql[l + 32 ..], hi = qh[l..]
                            IntVector lo0 = (IntVector) ByteVector.fromMemorySegment(B, ws, w0 + ql + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            IntVector lo1 = (IntVector) ByteVector.fromMemorySegment(B, ws, w0 + ql + 32 + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            IntVector hi = (IntVector) ByteVector.fromMemorySegment(B, ws, w0 + qh + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            a0 = ((FloatVector) lo0.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 4).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x0)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[sl]), a0);
                            a0 = ((FloatVector) lo1.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 2).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x1)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[sl + 2]), a0);
                            a0 = ((FloatVector) lo0.lanewise(VectorOperators.LSHR, 4).or(hi.and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x2)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[sl + 4]), a0);
                            a0 = ((FloatVector) lo1.lanewise(VectorOperators.LSHR, 4)
                                    .or(hi.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x3)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[sl + 6]), a0);
                            // row 1
                            lo0 = (IntVector) ByteVector.fromMemorySegment(B, ws, w1 + ql + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            lo1 = (IntVector) ByteVector.fromMemorySegment(B, ws, w1 + ql + 32 + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            hi = (IntVector) ByteVector.fromMemorySegment(B, ws, w1 + qh + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            a1 = ((FloatVector) lo0.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 4).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x0)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[rowScales + sl]), a1);
                            a1 = ((FloatVector) lo1.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 2).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x1)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[rowScales + sl + 2]), a1);
                            a1 = ((FloatVector) lo0.lanewise(VectorOperators.LSHR, 4).or(hi.and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x2)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[rowScales + sl + 4]), a1);
                            a1 = ((FloatVector) lo1.lanewise(VectorOperators.LSHR, 4)
                                    .or(hi.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x3)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[rowScales + sl + 6]), a1);
                            // row 2
                            lo0 = (IntVector) ByteVector.fromMemorySegment(B, ws, w2 + ql + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            lo1 = (IntVector) ByteVector.fromMemorySegment(B, ws, w2 + ql + 32 + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            hi = (IntVector) ByteVector.fromMemorySegment(B, ws, w2 + qh + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            a2 = ((FloatVector) lo0.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 4).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x0)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[2 * rowScales + sl]), a2);
                            a2 = ((FloatVector) lo1.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 2).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x1)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[2 * rowScales + sl + 2]), a2);
                            a2 = ((FloatVector) lo0.lanewise(VectorOperators.LSHR, 4).or(hi.and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x2)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[2 * rowScales + sl + 4]), a2);
                            a2 = ((FloatVector) lo1.lanewise(VectorOperators.LSHR, 4)
                                    .or(hi.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x3)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[2 * rowScales + sl + 6]), a2);
                            // row 3
                            lo0 = (IntVector) ByteVector.fromMemorySegment(B, ws, w3 + ql + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            lo1 = (IntVector) ByteVector.fromMemorySegment(B, ws, w3 + ql + 32 + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            hi = (IntVector) ByteVector.fromMemorySegment(B, ws, w3 + qh + l, Lanes.LE)
                                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                            a3 = ((FloatVector) lo0.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 4).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x0)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[3 * rowScales + sl]), a3);
                            a3 = ((FloatVector) lo1.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 2).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x1)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[3 * rowScales + sl + 2]), a3);
                            a3 = ((FloatVector) lo0.lanewise(VectorOperators.LSHR, 4).or(hi.and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x2)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[3 * rowScales + sl + 4]), a3);
                            a3 = ((FloatVector) lo1.lanewise(VectorOperators.LSHR, 4)
                                    .or(hi.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32)
                                    .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(x3)
                                    .fma(FloatVector.broadcast(Lanes.F, ks[3 * rowScales + sl + 6]), a3);
                        }
                    }
                }
                VectorOperators.Associative add = VectorOperators.ADD;
                store4(r, c, valid, a0.reduceLanes(add), a1.reduceLanes(add), a2.reduceLanes(add), a3.reduceLanes(add));
            }
        }
    }

    @Override
    protected void dequantizeRow(long rowByte, float[] dst, int at) {
        int blocks = k / QK;
        for (int b = 0; b < blocks; b++) {
            long o = rowByte + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(ws.get(Lanes.I16_LE, o + D));
            for (int h = 0; h < 2; h++) {
                long ql = o + 64 * h;
                long qh = o + QH + 32 * h;
                long scales = ws.get(I64_LE, o + SCALES + 8 * h);
                int to = at + b * QK + 128 * h;
                for (int l = 0; l < 32; l += L) {
                    IntVector lo0 = (IntVector) ByteVector.fromMemorySegment(B, ws, ql + l, Lanes.LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                    IntVector lo1 = (IntVector) ByteVector.fromMemorySegment(B, ws, ql + 32 + l, Lanes.LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                    IntVector hi = (IntVector) ByteVector.fromMemorySegment(B, ws, qh + l, Lanes.LE)
                            .convertShape(VectorOperators.ZERO_EXTEND_B2I, Lanes.I, 0);
                    int sl = 8 * (l / 16);
                    ((FloatVector) lo0.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 4).and(0x30)).sub(32)
                            .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(d * (byte) (scales >>> sl)).intoArray(dst, to + l);
                    ((FloatVector) lo1.and(0x0F).or(hi.lanewise(VectorOperators.LSHL, 2).and(0x30)).sub(32)
                            .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(d * (byte) (scales >>> (sl + 16)))
                            .intoArray(dst, to + 32 + l);
                    ((FloatVector) lo0.lanewise(VectorOperators.LSHR, 4).or(hi.and(0x30)).sub(32)
                            .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(d * (byte) (scales >>> (sl + 32)))
                            .intoArray(dst, to + 64 + l);
                    ((FloatVector) lo1.lanewise(VectorOperators.LSHR, 4).or(hi.lanewise(VectorOperators.LSHR, 2).and(0x30)).sub(32)
                            .convertShape(VectorOperators.I2F, Lanes.F, 0)).mul(d * (byte) (scales >>> (sl + 48)))
                            .intoArray(dst, to + 96 + l);
                }
            }
        }
    }

    /** One row's d·scale from byte {@code row} of ws, super-block b's sub-block s into ks[at + 16b + s]. */
    private void decodeScales(long row, int blocks, float[] ks, int at) {
        for (int b = 0; b < blocks; b++) {
            long o = row + (long) b * BLOCK_BYTES;
            float d = Float.float16ToFloat(ws.get(Lanes.I16_LE, o + D));
            // the 16 signed scale bytes as two longs, each byte cut out by a shift (no per-byte segment access)
            long lo = ws.get(I64_LE, o + SCALES);
            long hi = ws.get(I64_LE, o + SCALES + 8);
            int k = at + 16 * b;
            for (int s = 0; s < 8; s++) {
                ks[k + s] = d * (byte) (lo >>> 8 * s);
                ks[k + 8 + s] = d * (byte) (hi >>> 8 * s);
            }
        }
    }

    private static final ValueLayout.OfLong I64_LE = Q4_KMatmulKernel.I64_LE;
}
