package io.tttv2.api.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** ggml {@code block_q8_0}: {@code [d: f16][q: int8 × 32]}, value i = d · q[i]. */
final class Q8_0Codec implements BlockCodec {

    static final Q8_0Codec INSTANCE = new Q8_0Codec();
    private static final int N = 32;
    private static final int BYTES = 34;

    private Q8_0Codec() {
    }

    @Override
    public DType dtype() {
        return DType.Q8_0;
    }

    @Override
    public float decode(MemorySegment blocks, long element) {
        long at = element / N * BYTES;
        float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at));
        return d * blocks.get(ValueLayout.JAVA_BYTE, at + 2 + element % N);
    }

    @Override
    public void decode(MemorySegment blocks, long first, float[] out, int outOffset, int count) {
        long at = BlockCodec.blockOffset(DType.Q8_0, first, count);
        for (int b = 0; b < count; b += N, at += BYTES) {
            float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at));
            for (int i = 0; i < N; i++) {
                out[outOffset + b + i] = d * blocks.get(ValueLayout.JAVA_BYTE, at + 2 + i);
            }
        }
    }

    @Override
    public boolean canEncode() {
        return true;
    }

    /** As {@code quantize_row_q8_0_ref}: d = max|x| / 127, q = roundf(x / d) (ties away from zero). */
    @Override
    public void encode(float[] values, int offset, int count, MemorySegment blocks, long first) {
        long at = BlockCodec.blockOffset(DType.Q8_0, first, count);
        for (int b = 0; b < count; b += N, at += BYTES) {
            float amax = 0;
            for (int i = 0; i < N; i++) {
                amax = Math.max(amax, Math.abs(values[offset + b + i]));
            }
            float d = amax / 127;
            float id = d != 0 ? 1.0f / d : 0.0f;
            blocks.set(Tensor.I16_LE, at, Float.floatToFloat16(d));
            for (int i = 0; i < N; i++) {
                blocks.set(ValueLayout.JAVA_BYTE, at + 2 + i, (byte) roundAwayFromZero(values[offset + b + i] * id));
            }
        }
    }

    /** C's {@code roundf}: halfway cases away from zero (Java's {@code Math.round} sends them up). */
    static int roundAwayFromZero(float v) {
        int r = Math.round(Math.abs(v));
        return v < 0 ? -r : r;
    }
}
