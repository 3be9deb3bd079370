package io.tttv2.api.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml {@code block_q4_K}: {@code [d: f16][dmin: f16][scales: u8 × 12][qs: u8 × 128]}, 256 values in eight
 * sub-blocks of 32. Sub-block s has a 6-bit scale sc and min m packed in {@code scales} (see
 * {@link #scale}); value = d·sc·q − dmin·m. Sub-blocks 2p and 2p + 1 share qs[32p, 32p + 32): the even one
 * takes the low nibbles, the odd one the high nibbles.
 */
final class Q4_KCodec implements BlockCodec {

    static final Q4_KCodec INSTANCE = new Q4_KCodec();
    static final int N = 256;
    private static final int BYTES = 144;
    private static final int SCALES = 4;
    private static final int QS = 16;

    private Q4_KCodec() {
    }

    @Override
    public DType dtype() {
        return DType.Q4_K;
    }

    @Override
    public float decode(MemorySegment blocks, long element) {
        long at = element / N * BYTES;
        int i = (int) (element % N);
        int s = i / 32;
        int packed = u8(blocks, at + QS + (s / 2) * 32 + i % 32);
        int q = (s & 1) == 0 ? packed & 0xF : packed >>> 4;
        float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at));
        float dmin = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at + 2));
        return d * scale(blocks, at + SCALES, s) * q - dmin * min(blocks, at + SCALES, s);
    }

    @Override
    public void decode(MemorySegment blocks, long first, float[] out, int outOffset, int count) {
        long at = BlockCodec.blockOffset(DType.Q4_K, first, count);
        for (int b = 0; b < count; b += N, at += BYTES) {
            float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at));
            float dmin = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at + 2));
            for (int pair = 0; pair < 4; pair++) {
                int s = 2 * pair;
                float d1 = d * scale(blocks, at + SCALES, s);
                float m1 = dmin * min(blocks, at + SCALES, s);
                float d2 = d * scale(blocks, at + SCALES, s + 1);
                float m2 = dmin * min(blocks, at + SCALES, s + 1);
                int o = outOffset + b + 64 * pair;
                for (int l = 0; l < 32; l++) {
                    int packed = u8(blocks, at + QS + 32 * pair + l);
                    out[o + l] = d1 * (packed & 0xF) - m1;
                    out[o + 32 + l] = d2 * (packed >>> 4) - m2;
                }
            }
        }
    }

    /**
     * The 6-bit scale of sub-block s (ggml's {@code get_scale_min_k4}): for s &lt; 4 the low six bits of
     * scales[s]; for s ≥ 4 the low nibble of scales[s + 4] with the top two bits of scales[s − 4] above it.
     */
    static int scale(MemorySegment blocks, long scales, int s) {
        if (s < 4) {
            return u8(blocks, scales + s) & 63;
        }
        return (u8(blocks, scales + s + 4) & 0xF) | (u8(blocks, scales + s - 4) >>> 6) << 4;
    }

    /** The 6-bit min of sub-block s: scales[s + 4] for s &lt; 4, else the high nibble of scales[s + 4] with the
     *  top two bits of scales[s] above it. */
    static int min(MemorySegment blocks, long scales, int s) {
        if (s < 4) {
            return u8(blocks, scales + s + 4) & 63;
        }
        return (u8(blocks, scales + s + 4) >>> 4) | (u8(blocks, scales + s) >>> 6) << 4;
    }

    static int u8(MemorySegment blocks, long at) {
        return blocks.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }
}
