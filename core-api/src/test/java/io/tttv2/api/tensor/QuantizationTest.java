package io.tttv2.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whole tensors quantised at load: the bytes the codec makes from the same floats, in any source dtype and layout. */
class QuantizationTest {

    @Test
    void bf16AndStridedSourcesGiveTheCodecsBytes() {
        Random random = new Random(2);
        Tensor bf16 = Tensor.allocate(Arena.ofAuto(), DType.BF16, 7, 64);
        float[] values = new float[7 * 64];
        for (int i = 0; i < values.length; i++) {
            bf16.setFloat((float) random.nextGaussian(), i / 64, i % 64);
        }
        values = bf16.toFloatArray();
        for (DType type : new DType[] {DType.Q8_0, DType.Q4_0}) {
            Tensor q = Quantization.quantize(bf16, type);
            assertEquals(type, q.dtype());
            assertArrayEquals(new int[] {7, 64}, q.shape());
            MemorySegment expected = Arena.ofAuto().allocate(type.bytesFor(values.length));
            BlockCodec.of(type).encode(values, 0, values.length, expected, 0);
            assertEquals(-1, expected.mismatch(q.segment()), type + ": bytes differ from the codec's");

            Tensor rows = bf16.slice(0, 2, 3);                          // contiguous rows 2..4
            Tensor part = Quantization.quantize(rows, type);
            assertEquals(-1, q.slice(0, 2, 3).segment().mismatch(part.segment()));

            Tensor wide = Tensor.allocate(Arena.ofAuto(), DType.F32, 7, 96);
            Tensor strided = wide.slice(1, 0, 64);                      // rows 96 apart
            for (int r = 0; r < 7; r++) {
                for (int c = 0; c < 64; c++) {
                    strided.setFloat(values[r * 64 + c], r, c);
                }
            }
            assertEquals(-1, expected.mismatch(Quantization.quantize(strided, type).segment()));
        }
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() {
        Tensor rows48 = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 48);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Quantization.quantize(rows48, DType.Q8_0));
        assertTrue(e.getMessage().contains("rows of 48") && e.getMessage().contains("32"), e.getMessage());
        Tensor ok = Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 32);
        assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(ok, DType.Q4_K));
        assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(ok, DType.BF16));
        Tensor ints = Tensor.allocate(Arena.ofAuto(), DType.I32, 2, 32);
        assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(ints, DType.Q8_0));
        Tensor q = Quantization.quantize(ok, DType.Q8_0);
        assertThrows(IllegalArgumentException.class, () -> Quantization.quantize(q, DType.Q4_0));
        assertEquals(0, q.segment().get(ValueLayout.JAVA_BYTE, 5));
    }
}
