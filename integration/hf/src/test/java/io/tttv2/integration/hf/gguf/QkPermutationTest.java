package io.tttv2.integration.hf.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/**
 * The converter's {@code w.reshape(n_head, 2, d/2, …).swapaxes(1, 2)}, worked by hand: for a head of 4 rows
 * (HF: first half r0 r1, second half r2 r3) llama.cpp stores r0 r2 r1 r3 — each first-half row beside its
 * rotation partner.
 */
class QkPermutationTest {

    @Test
    void oneHeadOfFourInterleavesTheHalves() {
        assertArrayEquals(new long[] {0, 2, 1, 3}, ggufOrder(4, 4));
    }

    @Test
    void everyHeadIsPermutedOnItsOwn() {
        // two heads of 6: HF rows 0..5 and 6..11; GGUF row 2i+j of a head is HF row j·3+i of that head
        assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11}, ggufOrder(12, 6));
    }

    @Test
    void copyToGgufAndBackRestoresEveryRow() {
        int rows = 16;
        int rowBytes = 12;       // e.g. rows of a block layout: rows move whole
        byte[] hf = new byte[rows * rowBytes];
        for (int i = 0; i < hf.length; i++) {
            hf[i] = (byte) (i * 7 + 3);
        }
        MemorySegment gguf = MemorySegment.ofArray(new byte[hf.length]);
        QkPermutation.copy(MemorySegment.ofArray(hf), gguf, rows, rowBytes, 8, false);
        // GGUF row 1 holds HF row 4 (head of 8: j=1, i=0 → 1·4+0)
        assertArrayEquals(java.util.Arrays.copyOfRange(hf, 4 * rowBytes, 5 * rowBytes),
                gguf.asSlice(rowBytes, rowBytes).toArray(ValueLayout.JAVA_BYTE));
        MemorySegment back = MemorySegment.ofArray(new byte[hf.length]);
        QkPermutation.copy(gguf, back, rows, rowBytes, 8, true);
        assertArrayEquals(hf, back.toArray(ValueLayout.JAVA_BYTE));
    }

    private static long[] ggufOrder(int rows, int headDim) {
        long[] order = new long[rows];
        for (int g = 0; g < rows; g++) {
            order[g] = QkPermutation.hfRowOfGgufRow(g, headDim);
        }
        return order;
    }
}
