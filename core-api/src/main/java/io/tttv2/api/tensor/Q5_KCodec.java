package io.tttv2.api.tensor;

import java.lang.foreign.MemorySegment;

/**
 * ggml {@code block_q5_K}: {@code [d: f16][dmin: f16][scales: u8 × 12][qh: u8 × 32][qs: u8 × 128]}: Q4_K's
 * layout with a fifth bit per value. Value i of sub-block s takes its low four bits as Q4_K does and its
 * fifth bit from bit s of qh[i % 32]; value = d·sc·q − dmin·m with q in [0, 32).
 */
final class Q5_KCodec implements BlockCodec {

    static final Q5_KCodec INSTANCE = new Q5_KCodec();
    private static final int N = 256;
    private static final int BYTES = 176;
    private static final int SCALES = 4;
    private static final int QH = 16;
    private static final int QS = 48;

    private Q5_KCodec() {
    }

    @Override
    public DType dtype() {
        return DType.Q5_K;
    }

    @Override
    public float decode(MemorySegment blocks, long element) {
        long at = element / N * BYTES;
        int i = (int) (element % N);
        int s = i / 32;
        int packed = Q4_KCodec.u8(blocks, at + QS + (s / 2) * 32 + i % 32);
        int low = (s & 1) == 0 ? packed & 0xF : packed >>> 4;
        int high = (Q4_KCodec.u8(blocks, at + QH + i % 32) >>> s) & 1;
        float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at));
        float dmin = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at + 2));
        return d * Q4_KCodec.scale(blocks, at + SCALES, s) * (low | high << 4)
                - dmin * Q4_KCodec.min(blocks, at + SCALES, s);
    }

    @Override
    public void decode(MemorySegment blocks, long first, float[] out, int outOffset, int count) {
        long at = BlockCodec.blockOffset(DType.Q5_K, first, count);
        for (int b = 0; b < count; b += N, at += BYTES) {
            float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at));
            float dmin = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at + 2));
            for (int pair = 0; pair < 4; pair++) {
                int s = 2 * pair;
                float d1 = d * Q4_KCodec.scale(blocks, at + SCALES, s);
                float m1 = dmin * Q4_KCodec.min(blocks, at + SCALES, s);
                float d2 = d * Q4_KCodec.scale(blocks, at + SCALES, s + 1);
                float m2 = dmin * Q4_KCodec.min(blocks, at + SCALES, s + 1);
                int o = outOffset + b + 64 * pair;
                for (int l = 0; l < 32; l++) {
                    int packed = Q4_KCodec.u8(blocks, at + QS + 32 * pair + l);
                    int high = Q4_KCodec.u8(blocks, at + QH + l);
                    out[o + l] = d1 * ((packed & 0xF) | ((high >>> s) & 1) << 4) - m1;
                    out[o + 32 + l] = d2 * ((packed >>> 4) | ((high >>> (s + 1)) & 1) << 4) - m2;
                }
            }
        }
    }
}
