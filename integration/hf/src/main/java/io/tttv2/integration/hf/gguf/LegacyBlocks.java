package io.tttv2.integration.hf.gguf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * ggml's older 32-value block types that llama.cpp's quantiser uses as fallbacks (a Q4_K_M file stores a tensor
 * whose rows are not whole 256-value blocks as Q5_0 or Q5_1), widened to F32 at load: no kernel computes with
 * them, and they occur only for the few tensors the fallback hits. Layouts (ggml-common.h): Q4_1 = f16 d, f16 m,
 * 16 bytes of nibbles; Q5_0 = f16 d, u32 high bits, 16 bytes of nibbles; Q5_1 = f16 d, f16 m, u32 high bits,
 * nibbles. Value j of a block takes nibble j (low halves first, then high halves) and high bit j.
 */
final class LegacyBlocks {
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private LegacyBlocks() {
    }

    static boolean decodes(GgmlType type) {
        return type == GgmlType.Q4_1 || type == GgmlType.Q5_0 || type == GgmlType.Q5_1;
    }

    /** The {@code count} values of {@code blocks} as little-endian F32, in memory of {@code arena}. */
    static MemorySegment toF32(GgmlType type, MemorySegment blocks, long count, Arena arena) {
        MemorySegment out = arena.allocate(count * 4, 64);
        float[] values = new float[32];
        for (long b = 0; b < count / 32; b++) {
            decode(type, blocks.asSlice(b * type.typeSize(), type.typeSize()), values);
            MemorySegment.copy(values, 0, out, F32, b * 128, 32);
        }
        return out.asReadOnly();
    }

    static void decode(GgmlType type, MemorySegment block, float[] out) {
        float d = Float.float16ToFloat(block.get(F16, 0));
        boolean hasMin = type != GgmlType.Q5_0;
        float m = hasMin ? Float.float16ToFloat(block.get(F16, 2)) : 0f;
        long at = hasMin ? 4 : 2;
        int high = 0;
        boolean fiveBit = type != GgmlType.Q4_1;
        if (fiveBit) {
            high = block.get(U32, at);
            at += 4;
        }
        int bias = type == GgmlType.Q5_0 ? 16 : 0;
        for (int j = 0; j < 16; j++) {
            int q = Byte.toUnsignedInt(block.get(ValueLayout.JAVA_BYTE, at + j));
            int lo = q & 0x0f;
            int hi = q >>> 4;
            if (fiveBit) {
                lo |= ((high >>> j) & 1) << 4;
                hi |= ((high >>> (j + 16)) & 1) << 4;
            }
            out[j] = (lo - bias) * d + m;
            out[j + 16] = (hi - bias) * d + m;
        }
    }
}
