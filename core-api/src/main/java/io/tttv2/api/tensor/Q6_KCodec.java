package io.tttv2.api.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * ggml {@code block_q6_K}: {@code [ql: u8 × 128][qh: u8 × 64][scales: i8 × 16][d: f16]}, 256 values in two
 * halves of 128. In half h, value l + 32k (l &lt; 32, k &lt; 4) has its low four bits in ql[64h + l + 32(k &amp; 1)]
 * (low nibble for k &lt; 2, high for k ≥ 2), its top two bits at bits 2k, 2k + 1 of qh[32h + l], and its scale
 * scales[8h + 2k + l / 16]; value = d · scale · (q − 32).
 */
final class Q6_KCodec implements BlockCodec {

    static final Q6_KCodec INSTANCE = new Q6_KCodec();
    private static final int N = 256;
    private static final int BYTES = 210;
    private static final int QH = 128;
    private static final int SCALES = 192;
    private static final int D = 208;

    private Q6_KCodec() {
    }

    @Override
    public DType dtype() {
        return DType.Q6_K;
    }

    @Override
    public float decode(MemorySegment blocks, long element) {
        long at = element / N * BYTES;
        int i = (int) (element % N);
        int h = i / 128;
        int k = (i % 128) / 32;
        int l = i % 32;
        int packed = Q4_KCodec.u8(blocks, at + 64 * h + l + 32 * (k & 1));
        int low = k < 2 ? packed & 0xF : packed >>> 4;
        int high = (Q4_KCodec.u8(blocks, at + QH + 32 * h + l) >>> (2 * k)) & 3;
        int scale = blocks.get(ValueLayout.JAVA_BYTE, at + SCALES + 8 * h + 2 * k + l / 16);
        float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at + D));
        return d * scale * ((low | high << 4) - 32);
    }

    @Override
    public void decode(MemorySegment blocks, long first, float[] out, int outOffset, int count) {
        long at = BlockCodec.blockOffset(DType.Q6_K, first, count);
        for (int b = 0; b < count; b += N, at += BYTES) {
            float d = Float.float16ToFloat(blocks.get(Tensor.I16_LE, at + D));
            for (int h = 0; h < 2; h++) {
                long ql = at + 64 * h;
                long qh = at + QH + 32 * h;
                long sc = at + SCALES + 8 * h;
                int o = outOffset + b + 128 * h;
                for (int l = 0; l < 32; l++) {
                    int lo0 = Q4_KCodec.u8(blocks, ql + l);
                    int lo1 = Q4_KCodec.u8(blocks, ql + l + 32);
                    int hi = Q4_KCodec.u8(blocks, qh + l);
                    int is = l / 16;
                    out[o + l] = d * blocks.get(ValueLayout.JAVA_BYTE, sc + is)
                            * (((lo0 & 0xF) | (hi & 3) << 4) - 32);
                    out[o + l + 32] = d * blocks.get(ValueLayout.JAVA_BYTE, sc + is + 2)
                            * (((lo1 & 0xF) | ((hi >>> 2) & 3) << 4) - 32);
                    out[o + l + 64] = d * blocks.get(ValueLayout.JAVA_BYTE, sc + is + 4)
                            * (((lo0 >>> 4) | ((hi >>> 4) & 3) << 4) - 32);
                    out[o + l + 96] = d * blocks.get(ValueLayout.JAVA_BYTE, sc + is + 6)
                            * (((lo1 >>> 4) | ((hi >>> 6) & 3) << 4) - 32);
                }
            }
        }
    }
}
