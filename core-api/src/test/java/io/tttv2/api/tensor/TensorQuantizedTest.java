package io.tttv2.api.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Tensors of block-quantised types: rows of whole blocks, views on block boundaries, reads dequantise. */
class TensorQuantizedTest {

    /** A [3, 64] Q8_0 tensor encoding known values, with the floats it decodes to. */
    private static Tensor q8(float[] decoded) {
        Random random = new Random(11);
        float[] x = new float[3 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        Tensor t = Tensor.allocate(Arena.ofAuto(), DType.Q8_0, 3, 64);
        BlockCodec.of(DType.Q8_0).encode(x, 0, x.length, t.segment(), 0);
        BlockCodec.of(DType.Q8_0).decode(t.segment(), 0, decoded, 0, x.length);
        return t;
    }

    @Test
    void allocationAndSegmentAreSizedInBlocks() {
        Tensor t = Tensor.allocate(Arena.ofAuto(), DType.Q4_0, 5, 96);
        assertEquals(5 * 3 * 18, t.segment().byteSize());
        Tensor row = t.select(0, 2);
        assertEquals(3 * 18, row.segment().byteSize());
        assertEquals(2 * 3 * 18, row.segment().address() - t.segment().address());
    }

    @Test
    void aRowThatIsNotWholeBlocksIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.allocate(Arena.ofAuto(), DType.Q8_0, 4, 48));
        assertTrue(e.getMessage().contains("multiple of the block size 32"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.wrap(Arena.ofAuto().allocate(34 * 4), DType.Q8_0, 4, 32 + 1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.allocate(Arena.ofAuto(), DType.Q6_K, 2, 128));
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.wrap(Arena.ofAuto().allocate(33), DType.Q8_0, 1, 32));
    }

    @Test
    void readsDequantiseThroughViews() {
        float[] decoded = new float[3 * 64];
        Tensor t = q8(decoded);
        assertArrayEquals(decoded, t.toFloatArray());
        assertEquals(decoded[64 + 37], t.getFloat(1, 37));
        assertEquals(decoded[64 + 37], Tensor.readFloat(t.segment(), DType.Q8_0, 64 + 37));

        Tensor rows = t.slice(0, 1, 2);                 // rows 1, 2
        float[] expected = new float[128];
        System.arraycopy(decoded, 64, expected, 0, 128);
        assertArrayEquals(expected, rows.toFloatArray());

        Tensor secondBlocks = t.slice(1, 32, 32);        // [3, 32], strided over rows
        float[] second = secondBlocks.toFloatArray();
        for (int r = 0; r < 3; r++) {
            for (int i = 0; i < 32; i++) {
                assertEquals(decoded[r * 64 + 32 + i], second[r * 32 + i]);
            }
        }
        assertEquals(decoded[2 * 64 + 32 + 5], secondBlocks.getFloat(2, 5));

        Tensor reshaped = t.reshape(6, 32);
        assertEquals(decoded[5 * 32 + 31], reshaped.getFloat(5, 31));
    }

    @Test
    void viewsCutRowsOnlyOnBlockBoundaries() {
        Tensor t = Tensor.allocate(Arena.ofAuto(), DType.Q8_0, 2, 64);
        assertThrows(IllegalArgumentException.class, () -> t.slice(1, 16, 32));
        assertThrows(IllegalArgumentException.class, () -> t.slice(1, 0, 48));
        assertThrows(IllegalArgumentException.class, () -> t.select(1, 3));
        assertThrows(IllegalArgumentException.class, () -> t.reshape(8, 16));
        assertThrows(UnsupportedOperationException.class, () -> t.setFloat(1f, 0, 0));
    }
}
