package io.tttv2.integration.hf.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** Blocks built by hand from ggml-common.h's layouts, decoded to the values they were built from. */
class LegacyBlocksTest {
    private static final ValueLayout.OfShort F16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Quants q[0..31] (0..31 for five bits) packed as ggml packs them: nibble j and j+16 share byte j. */
    private static void pack(MemorySegment block, long nibblesAt, long highAt, int[] q) {
        int high = 0;
        for (int j = 0; j < 16; j++) {
            block.set(ValueLayout.JAVA_BYTE, nibblesAt + j, (byte) ((q[j] & 0xf) | ((q[j + 16] & 0xf) << 4)));
            high |= ((q[j] >> 4) & 1) << j;
            high |= ((q[j + 16] >> 4) & 1) << (j + 16);
        }
        if (highAt >= 0) {
            block.set(U32, highAt, high);
        }
    }

    @Test
    void q5_0IsFiveBitsAroundSixteenTimesTheScale() {
        MemorySegment block = MemorySegment.ofArray(new byte[22]);
        block.set(F16, 0, Float.floatToFloat16(0.5f));
        int[] q = new int[32];
        float[] expected = new float[32];
        for (int j = 0; j < 32; j++) {
            q[j] = (j * 7) % 32;
            expected[j] = (q[j] - 16) * 0.5f;
        }
        pack(block, 6, 2, q);
        float[] out = new float[32];
        LegacyBlocks.decode(GgmlType.Q5_0, block, out);
        assertArrayEquals(expected, out);
    }

    @Test
    void q5_1AndQ4_1AddTheMinimum() {
        MemorySegment q51 = MemorySegment.ofArray(new byte[24]);
        q51.set(F16, 0, Float.floatToFloat16(0.25f));
        q51.set(F16, 2, Float.floatToFloat16(-1f));
        MemorySegment q41 = MemorySegment.ofArray(new byte[20]);
        q41.set(F16, 0, Float.floatToFloat16(0.25f));
        q41.set(F16, 2, Float.floatToFloat16(-1f));
        int[] q5 = new int[32];
        int[] q4 = new int[32];
        float[] e5 = new float[32];
        float[] e4 = new float[32];
        for (int j = 0; j < 32; j++) {
            q5[j] = 31 - j;
            q4[j] = (j * 3) % 16;
            e5[j] = q5[j] * 0.25f - 1f;
            e4[j] = q4[j] * 0.25f - 1f;
        }
        pack(q51, 8, 4, q5);
        pack(q41, 4, -1, q4);
        float[] out = new float[32];
        LegacyBlocks.decode(GgmlType.Q5_1, q51, out);
        assertArrayEquals(e5, out);
        LegacyBlocks.decode(GgmlType.Q4_1, q41, out);
        assertArrayEquals(e4, out);
    }
}
