package io.tttv2.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The block codecs against hand-worked blocks and ggml's rounding rules. */
class BlockCodecTest {

    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Test
    void sizesAreGgmlsBlockSizes() {
        assertEquals(34, DType.Q8_0.blockBytes());
        assertEquals(18, DType.Q4_0.blockBytes());
        assertEquals(144, DType.Q4_K.blockBytes());
        assertEquals(176, DType.Q5_K.blockBytes());
        assertEquals(210, DType.Q6_K.blockBytes());
        assertEquals(3 * 34, DType.Q8_0.bytesFor(96));
        assertEquals(2 * 210, DType.Q6_K.bytesFor(512));
        assertEquals(40, DType.F32.bytesFor(10));
        assertThrows(IllegalArgumentException.class, () -> DType.Q4_0.bytesFor(33));
        assertThrows(UnsupportedOperationException.class, DType.Q8_0::byteSize);
        assertEquals(2, DType.BF16.byteSize());
    }

    @Test
    void q8_0RoundsHalfwayAwayFromZeroLikeRoundf() {
        float[] x = new float[32];
        x[0] = 127;        // amax 127: d = 1, so q = roundf(x)
        x[1] = 2.5f;
        x[2] = -2.5f;      // Math.round would give -2; roundf gives -3
        x[3] = -127;
        x[4] = 0.49f;
        x[5] = -0.5f;
        MemorySegment blocks = Arena.ofAuto().allocate(34);
        BlockCodec codec = BlockCodec.of(DType.Q8_0);
        codec.encode(x, 0, 32, blocks, 0);
        assertEquals(1.0f, Float.float16ToFloat(blocks.get(I16, 0)));
        assertEquals(127, blocks.get(ValueLayout.JAVA_BYTE, 2));
        assertEquals(3, blocks.get(ValueLayout.JAVA_BYTE, 3));
        assertEquals(-3, blocks.get(ValueLayout.JAVA_BYTE, 4));
        assertEquals(-127, blocks.get(ValueLayout.JAVA_BYTE, 5));
        assertEquals(0, blocks.get(ValueLayout.JAVA_BYTE, 6));
        assertEquals(-1, blocks.get(ValueLayout.JAVA_BYTE, 7));
        assertEquals(-3.0f, codec.decode(blocks, 2));
    }

    @Test
    void q4_0ScalesByTheSignedExtremeOverMinusEightAndPacksHalvesInNibbles() {
        float[] x = new float[32];
        x[0] = -8;          // the extreme, negative: d = -8 / -8 = 1, id = 1, q = min(15, trunc(x + 8.5))
        x[1] = 7;           // 15.5 → 15
        x[2] = 7.5f;        // 16 → clamped to 15
        x[3] = -0.5f;       // 8.0 → 8
        x[16] = 0.49f;      // 8.99 → 8, the high nibble of byte 0
        x[17] = -3;         // 5.5 → 5, high nibble of byte 1
        MemorySegment blocks = Arena.ofAuto().allocate(18);
        BlockCodec codec = BlockCodec.of(DType.Q4_0);
        codec.encode(x, 0, 32, blocks, 0);
        assertEquals(1.0f, Float.float16ToFloat(blocks.get(I16, 0)));
        assertEquals(0x80, blocks.get(ValueLayout.JAVA_BYTE, 2) & 0xFF);   // q0 = 0, q16 = 8
        assertEquals(0x5F, blocks.get(ValueLayout.JAVA_BYTE, 3) & 0xFF);   // q1 = 15, q17 = 5
        assertEquals(0x8F, blocks.get(ValueLayout.JAVA_BYTE, 4) & 0xFF);   // q2 = 15, q18 = 8 (zero)
        assertEquals(0x88, blocks.get(ValueLayout.JAVA_BYTE, 5) & 0xFF);   // q3 = 8, q19 = 8
        float[] back = new float[32];
        codec.decode(blocks, 0, back, 0, 32);
        assertEquals(-8, back[0]);
        assertEquals(7, back[1]);
        assertEquals(7, back[2]);
        assertEquals(0, back[3]);
        assertEquals(-3, back[17]);
    }

    @Test
    void q4_0PositiveExtremeGivesANegativeScale() {
        float[] x = new float[32];
        x[5] = 16;          // d = 16 / -8 = -2; x = 16 → 16 · -0.5 + 8.5 = 0.5 → 0, decodes to -2 · -8 = 16
        MemorySegment blocks = Arena.ofAuto().allocate(18);
        BlockCodec.of(DType.Q4_0).encode(x, 0, 32, blocks, 0);
        assertEquals(-2.0f, Float.float16ToFloat(blocks.get(I16, 0)));
        assertEquals(16.0f, BlockCodec.of(DType.Q4_0).decode(blocks, 5));
        assertEquals(0.0f, BlockCodec.of(DType.Q4_0).decode(blocks, 6), 0f);
    }

    @Test
    void roundTripErrorIsWithinHalfAStepPerBlock() {
        Random random = new Random(7);
        for (DType type : new DType[] {DType.Q8_0, DType.Q4_0}) {
            float[] x = new float[32 * 9];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian() * (1 + i / 32);
            }
            BlockCodec codec = BlockCodec.of(type);
            MemorySegment blocks = Arena.ofAuto().allocate(type.bytesFor(x.length));
            codec.encode(x, 0, x.length, blocks, 0);
            float[] back = new float[x.length];
            codec.decode(blocks, 0, back, 0, x.length);
            for (int b = 0; b < x.length; b += 32) {
                float amax = 0;
                for (int i = 0; i < 32; i++) {
                    amax = Math.max(amax, Math.abs(x[b + i]));
                }
                float step = amax / (type == DType.Q8_0 ? 127 : 8);
                // Q4_0 spans -8..7 steps from the extreme's side: the other side clamps at 7, up to a whole step off
                float tolerance = type == DType.Q8_0 ? step * 0.51f : step;
                for (int i = 0; i < 32; i++) {
                    assertTrue(Math.abs(back[b + i] - x[b + i]) <= tolerance + amax * 1e-3,
                            type + " element " + (b + i) + ": " + x[b + i] + " → " + back[b + i]);
                    assertEquals(back[b + i], codec.decode(blocks, b + i));
                }
            }
        }
    }

    @Test
    void q4_KDecodesSixBitScalesAndMins() {
        MemorySegment block = Arena.ofAuto().allocate(144);
        block.set(I16, 0, Float.floatToFloat16(0.5f));   // d
        block.set(I16, 2, Float.floatToFloat16(0.25f));  // dmin
        // sub-block 1: scale scales[1] & 63, min scales[5] & 63
        block.set(ValueLayout.JAVA_BYTE, 4 + 1, (byte) (0b11_000011));   // scale 3; top bits 3 belong to sub-block 5's scale
        block.set(ValueLayout.JAVA_BYTE, 4 + 5, (byte) (0b10_000100));   // min 4; top bits 2 belong to sub-block 5's min
        // sub-block 5: scale = (scales[9] & 0xF) | (scales[1] >> 6) << 4, min = (scales[9] >> 4) | (scales[5] >> 6) << 4
        block.set(ValueLayout.JAVA_BYTE, 4 + 9, (byte) 0x72);           // scale 2 | 3 << 4 = 50, min 7 | 2 << 4 = 39
        // element 32 + 3 (sub-block 1, the high nibble of qs[3]) and element 160 + 3 (sub-block 5: pair 2, high)
        block.set(ValueLayout.JAVA_BYTE, 16 + 3, (byte) 0xA0);          // q = 10 for sub-block 1
        block.set(ValueLayout.JAVA_BYTE, 16 + 64 + 3, (byte) 0x60);     // q = 6 for sub-block 5
        BlockCodec codec = BlockCodec.of(DType.Q4_K);
        assertEquals(0.5f * 3 * 10 - 0.25f * 4, codec.decode(block, 35));
        assertEquals(0.5f * 50 * 6 - 0.25f * 39, codec.decode(block, 163));
        assertEquals(0.5f * 50 * 0 - 0.25f * 39, codec.decode(block, 162));
        float[] row = new float[256];
        codec.decode(block, 0, row, 0, 256);
        assertEquals(codec.decode(block, 35), row[35]);
        assertEquals(codec.decode(block, 163), row[163]);
    }

    @Test
    void q5_KTakesTheFifthBitFromQh() {
        MemorySegment block = Arena.ofAuto().allocate(176);
        block.set(I16, 0, Float.floatToFloat16(1f));
        block.set(I16, 2, Float.floatToFloat16(0f));
        block.set(ValueLayout.JAVA_BYTE, 4 + 2, (byte) 1);              // sub-block 2 scale 1
        block.set(ValueLayout.JAVA_BYTE, 4 + 3, (byte) 1);              // sub-block 3 scale 1
        block.set(ValueLayout.JAVA_BYTE, 16 + 7, (byte) 0b0000_1100);   // qh[7]: bit 2 (sub-block 2) and 3 (sub-block 3)
        block.set(ValueLayout.JAVA_BYTE, 48 + 32 + 7, (byte) 0x59);     // pair 1: low nibble 9 (sub-block 2), high 5 (3)
        BlockCodec codec = BlockCodec.of(DType.Q5_K);
        assertEquals(16 + 9, codec.decode(block, 64 + 7));
        assertEquals(16 + 5, codec.decode(block, 96 + 7));
        float[] row = new float[256];
        codec.decode(block, 0, row, 0, 256);
        assertEquals(25f, row[71]);
        assertEquals(21f, row[103]);
    }

    @Test
    void q6_KCombinesLowNibblesHighPairsAndSignedScales() {
        MemorySegment block = Arena.ofAuto().allocate(210);
        block.set(I16, 208, Float.floatToFloat16(0.5f));
        // second half (h = 1), l = 20, k = 3: low bits in the high nibble of ql[64 + 20 + 32], top bits 6–7 of qh[32 + 20],
        // scale scales[8 + 6 + 1]
        block.set(ValueLayout.JAVA_BYTE, 64 + 52, (byte) 0xB0);         // low = 11
        block.set(ValueLayout.JAVA_BYTE, 128 + 52, (byte) 0b10_000000);  // high = 2 → q = 11 | 32 = 43 → 11
        block.set(ValueLayout.JAVA_BYTE, 192 + 15, (byte) -3);
        BlockCodec codec = BlockCodec.of(DType.Q6_K);
        int element = 128 + 96 + 20;
        assertEquals(0.5f * -3 * 11, codec.decode(block, element));
        float[] row = new float[256];
        codec.decode(block, 0, row, 0, 256);
        assertEquals(0.5f * -3 * 11, row[element]);
        assertEquals(0.5f * -3 * -32, row[element - 1]);   // l = 19 shares scale scales[15]; its bits are zero: q = -32
        assertEquals(0f, row[element - 16], 0f);               // l = 4: scale scales[14], zero
    }

    @Test
    void elementAndRowDecodingAgreeOnRandomBlocks() {
        Random random = new Random(3);
        for (DType type : new DType[] {DType.Q8_0, DType.Q4_0, DType.Q4_K, DType.Q5_K, DType.Q6_K}) {
            int n = type.blockSize() * 3;
            byte[] bytes = new byte[(int) type.bytesFor(n)];
            random.nextBytes(bytes);
            MemorySegment blocks = Arena.ofAuto().allocate(bytes.length);
            MemorySegment.copy(bytes, 0, blocks, ValueLayout.JAVA_BYTE, 0, bytes.length);
            // finite scales: overwrite every f16 field with a small value
            for (int b = 0; b < 3; b++) {
                long at = (long) b * type.blockBytes();
                switch (type) {
                    case Q8_0, Q4_0 -> blocks.set(I16, at, Float.floatToFloat16(0.01f * (b + 1)));
                    case Q4_K, Q5_K -> {
                        blocks.set(I16, at, Float.floatToFloat16(0.01f * (b + 1)));
                        blocks.set(I16, at + 2, Float.floatToFloat16(0.02f));
                    }
                    case Q6_K -> blocks.set(I16, at + 208, Float.floatToFloat16(0.01f * (b + 1)));
                    default -> throw new AssertionError(type);
                }
            }
            BlockCodec codec = BlockCodec.of(type);
            float[] row = new float[n];
            codec.decode(blocks, 0, row, 0, n);
            float[] one = new float[n];
            for (int i = 0; i < n; i++) {
                one[i] = codec.decode(blocks, i);
            }
            assertArrayEquals(one, row, type.toString());
            float[] tail = new float[type.blockSize()];
            codec.decode(blocks, 2L * type.blockSize(), tail, 0, type.blockSize());
            for (int i = 0; i < tail.length; i++) {
                assertEquals(row[2 * type.blockSize() + i], tail[i]);
            }
        }
    }

    @Test
    void kQuantsHaveNoEncoderAndPlainTypesNoCodec() {
        assertThrows(UnsupportedOperationException.class,
                () -> BlockCodec.of(DType.Q4_K).encode(new float[256], 0, 256, Arena.ofAuto().allocate(144), 0));
        assertThrows(IllegalArgumentException.class, () -> BlockCodec.of(DType.BF16));
        assertThrows(IllegalArgumentException.class,
                () -> BlockCodec.of(DType.Q8_0).decode(Arena.ofAuto().allocate(68), 16, new float[32], 0, 32));
    }
}
