package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The matmul of {@link QuantizedMatmulKernel} for Q6_K weights: a row is K/256 super-blocks of
 * {@code [ql: 128][qh: 64][scales: i8 × 16][d: f16]}, 16 sub-blocks of 16. In half h, value l + 32j (l &lt; 32,
 * j &lt; 4) has its low four bits in ql[64h + l + 32(j &amp; 1)] (the low nibble for j &lt; 2, the high one
 * after), its top two bits at bits 2j, 2j + 1 of qh[32h + l], and its scale scales[8h + 2j + l / 16]; value =
 * d·scale·(q − 32).
 *
 * <p>Decode and prefill alike dequantise each group of 4 weight rows into the F32 tile with vector code (two
 * loads of ql and one of qh, zero-extended to int lanes, give the four 6-bit values of each lane; a vector of
 * L ≤ 16 lanes lies in one sub-block, so one scale multiplies it), then multiply the tile as F32. An in-place
 * decode loop over 4 rows was written and measured 3–8× faster than the codec, but in the full test suite C2
 * compiled it with vectors boxed (13 kB allocated per call, {@code QuantizedDecodeAllocationTest}), so it is not
 * shipped. Needs L ≤ 16 ({@link QuantizedMatmuls} falls back to the codec otherwise).
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

    private static final ValueLayout.OfLong I64_LE = Q4_KMatmulKernel.I64_LE;
}
