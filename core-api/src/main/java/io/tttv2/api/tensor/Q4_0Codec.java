package io.tttv2.api.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml {@code block_q4_0}: {@code [d: f16][qs: u8 × 16]}; value j (j &lt; 16) is the low nibble of qs[j],
 * value j + 16 the high nibble; value = d · (q − 8).
 */
final class Q4_0Codec implements BlockCodec {

    static final Q4_0Codec INSTANCE = new Q4_0Codec();
    private static final int N = 32;
    private static final int BYTES = 18;

    private Q4_0Codec() {
    }

    @Override
    public DType dtype() {
        return DType.Q4_0;
    }

    @Override
    public float decode(MemorySegment blocks, long element) {
        long at = element / N * BYTES;
        int i = (int) (element % N);
        float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at));
        int packed = blocks.get(ValueLayout.JAVA_BYTE, at + 2 + (i & 15)) & 0xFF;
        int q = i < 16 ? packed & 0xF : packed >>> 4;
        return d * (q - 8);
    }

    @Override
    public void decode(MemorySegment blocks, long first, float[] out, int outOffset, int count) {
        long at = BlockCodec.blockOffset(DType.Q4_0, first, count);
        for (int b = 0; b < count; b += N, at += BYTES) {
            float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at));
            for (int j = 0; j < 16; j++) {
                int packed = blocks.get(ValueLayout.JAVA_BYTE, at + 2 + j) & 0xFF;
                out[outOffset + b + j] = d * ((packed & 0xF) - 8);
                out[outOffset + b + j + 16] = d * ((packed >>> 4) - 8);
            }
        }
    }

    @Override
    public boolean canEncode() {
        return true;
    }

    /**
     * As {@code quantize_row_q4_0_ref}: d = (the value of largest magnitude, with its sign) / −8, and
     * q = min(15, trunc(x / d + 8.5)).
     */
    @Override
    public void encode(float[] values, int offset, int count, MemorySegment blocks, long first) {
        long at = BlockCodec.blockOffset(DType.Q4_0, first, count);
        for (int b = 0; b < count; b += N, at += BYTES) {
            float amax = 0;
            float max = 0;
            for (int i = 0; i < N; i++) {
                float v = values[offset + b + i];
                if (amax < Math.abs(v)) {
                    amax = Math.abs(v);
                    max = v;
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            blocks.set(Tensor.I16_LE, at, Float.floatToFloat16(d));
            for (int j = 0; j < 16; j++) {
                int lo = nibble(values[offset + b + j] * id);
                int hi = nibble(values[offset + b + j + 16] * id);
                blocks.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) (lo | hi << 4));
            }
        }
    }

    /** {@code MIN(15, (int8_t)(x + 8.5f))}: the C cast truncates toward zero; x + 8.5 ≥ 0.5 here. */
    private static int nibble(float x) {
        return Math.min(15, (byte) (int) (x + 8.5f));
    }
}
