package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.DType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The matmul of {@link QuantizedMatmulKernel} for Q8_0 weights: a row is K/32 blocks of
 * {@code [d: f16][q: int8 × 32]}. Decode widens each block's int8 lanes straight to float (one
 * {@code B2F} conversion per vector), multiplies them into x, and adds the block's sum scaled by d:
 * {@code acc += d · Σ q·x}: for one row of x, one weight row at a time (one sequential stream per thread);
 * for two or three, four weight rows sharing every x load.
 */
public sealed class Q8_0MatmulKernel extends QuantizedMatmulKernel permits NativeQ8_0MatmulKernel {

    private static final int BLOCK = 32;
    private static final int BLOCK_BYTES = 34;
    private static final int L = Lanes.L;
    /** L bytes: one load that widens to one float vector. */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8));

    @Override
    public DType dtype() {
        return DType.Q8_0;
    }

    @Override
    protected void rows(float[] xf, int nFrom, int nTo) {
        if (m == 1) {
            oneRowAtATime(xf, nFrom, nTo);
            return;
        }
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
                    long o = (long) b * BLOCK_BYTES;
                    FloatVector s0 = FloatVector.zero(Lanes.F), s1 = s0, s2 = s0, s3 = s0;
                    for (int i = 0; i < BLOCK; i += L) {
                        FloatVector u = FloatVector.fromArray(Lanes.F, xf, xa + b * BLOCK + i);
                        // written out, no helpers: a vector passed to a method C2 does not inline is boxed
                        s0 = ((FloatVector) ByteVector.fromMemorySegment(B, ws, w0 + o + 2 + i, Lanes.LE)
                                .convertShape(VectorOperators.B2F, Lanes.F, 0)).fma(u, s0);
                        s1 = ((FloatVector) ByteVector.fromMemorySegment(B, ws, w1 + o + 2 + i, Lanes.LE)
                                .convertShape(VectorOperators.B2F, Lanes.F, 0)).fma(u, s1);
                        s2 = ((FloatVector) ByteVector.fromMemorySegment(B, ws, w2 + o + 2 + i, Lanes.LE)
                                .convertShape(VectorOperators.B2F, Lanes.F, 0)).fma(u, s2);
                        s3 = ((FloatVector) ByteVector.fromMemorySegment(B, ws, w3 + o + 2 + i, Lanes.LE)
                                .convertShape(VectorOperators.B2F, Lanes.F, 0)).fma(u, s3);
                    }
                    a0 = s0.fma(FloatVector.broadcast(Lanes.F, Float.float16ToFloat(ws.get(Lanes.I16_LE, w0 + o))), a0);
                    a1 = s1.fma(FloatVector.broadcast(Lanes.F, Float.float16ToFloat(ws.get(Lanes.I16_LE, w1 + o))), a1);
                    a2 = s2.fma(FloatVector.broadcast(Lanes.F, Float.float16ToFloat(ws.get(Lanes.I16_LE, w2 + o))), a2);
                    a3 = s3.fma(FloatVector.broadcast(Lanes.F, Float.float16ToFloat(ws.get(Lanes.I16_LE, w3 + o))), a3);
                }
                VectorOperators.Associative add = VectorOperators.ADD;
                store4(r, c, valid, a0.reduceLanes(add), a1.reduceLanes(add), a2.reduceLanes(add), a3.reduceLanes(add));
            }
        }
    }

    /**
     * M = 1: one weight row at a time, so a thread reads its rows as one sequential stream (four rows at once are
     * four streams, which the hardware prefetcher follows less well: `DecodeKernelVariantsBench`, q8Row1), two
     * blocks per step into two accumulators so the scale FMAs do not wait on each other.
     */
    private void oneRowAtATime(float[] xf, int nFrom, int nTo) {
        int blocks = k / BLOCK;
        for (int c = nFrom; c < nTo; c++) {
            long w0 = wOff + c * wRowBytes;
            FloatVector a0 = FloatVector.zero(Lanes.F), a1 = a0;
            int b = 0;
            for (; b + 1 < blocks; b += 2) {
                long o = w0 + (long) b * BLOCK_BYTES;
                FloatVector s0 = FloatVector.zero(Lanes.F), s1 = s0;
                for (int i = 0; i < BLOCK; i += L) {
                    // written out, no helpers: a vector passed to a method C2 does not inline is boxed
                    s0 = ((FloatVector) ByteVector.fromMemorySegment(B, ws, o + 2 + i, Lanes.LE)
                            .convertShape(VectorOperators.B2F, Lanes.F, 0))
                            .fma(FloatVector.fromArray(Lanes.F, xf, b * BLOCK + i), s0);
                    s1 = ((FloatVector) ByteVector.fromMemorySegment(B, ws, o + BLOCK_BYTES + 2 + i, Lanes.LE)
                            .convertShape(VectorOperators.B2F, Lanes.F, 0))
                            .fma(FloatVector.fromArray(Lanes.F, xf, (b + 1) * BLOCK + i), s1);
                }
                a0 = s0.fma(FloatVector.broadcast(Lanes.F, Float.float16ToFloat(ws.get(Lanes.I16_LE, o))), a0);
                a1 = s1.fma(FloatVector.broadcast(Lanes.F, Float.float16ToFloat(ws.get(Lanes.I16_LE, o + BLOCK_BYTES))), a1);
            }
            if (b < blocks) {                  // an odd block count: the last block alone
                long o = w0 + (long) b * BLOCK_BYTES;
                FloatVector s0 = FloatVector.zero(Lanes.F);
                for (int i = 0; i < BLOCK; i += L) {
                    s0 = ((FloatVector) ByteVector.fromMemorySegment(B, ws, o + 2 + i, Lanes.LE)
                            .convertShape(VectorOperators.B2F, Lanes.F, 0))
                            .fma(FloatVector.fromArray(Lanes.F, xf, b * BLOCK + i), s0);
                }
                a0 = s0.fma(FloatVector.broadcast(Lanes.F, Float.float16ToFloat(ws.get(Lanes.I16_LE, o))), a0);
            }
            store4(0, c, 1, a0.add(a1).reduceLanes(VectorOperators.ADD), 0, 0, 0);
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
            for (int i = 0; i < BLOCK; i += L) {
                ((FloatVector) ByteVector.fromMemorySegment(B, ws, o + 2 + i, Lanes.LE)
                        .convertShape(VectorOperators.B2F, Lanes.F, 0)).mul(d).intoArray(dst, at + b * BLOCK + i);
            }
        }
    }
}
