package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.device;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SelectionTest {

    private final Ops ops = device(1).ops();

    @Test
    void argmaxTakesTheFirstLargestOfEachRow() {
        Tensor logits = Tensor.of(new float[] {
                1, 5, 5, 2,
                -3, -1, -2, -1,
                0, 0, 0, 0}, 3, 4);
        int[] out = new int[3];
        ops.argmax(logits, out);
        assertArrayEquals(new int[] {1, 1, 0}, out);
    }

    @Test
    void argmaxOfRandomRowsMatchesAScan() {
        Random r = new Random(3);
        Tensor logits = TestTensors.random(r, DType.F32, 5, 4097);
        int[] out = new int[5];
        ops.argmax(logits, out);
        for (int b = 0; b < 5; b++) {
            int best = 0;
            for (int i = 1; i < 4097; i++) {
                if (logits.getFloat(b, i) > logits.getFloat(b, best)) {
                    best = i;
                }
            }
            assertArrayEquals(new int[] {best}, new int[] {out[b]});
        }
    }

    @Test
    void topKIsSortedLargestFirstWithTiesToTheLowerIndex() {
        Tensor row = Tensor.of(new float[] {3, 7, 1, 7, 9, 3, 3, 0}, 8);
        int[] idx = new int[5];
        float[] val = new float[5];
        ops.topK(row, 5, idx, val);
        assertArrayEquals(new int[] {4, 1, 3, 0, 5}, idx);
        assertArrayEquals(new float[] {9, 7, 7, 3, 3}, val);
    }

    @Test
    void topKMatchesASortOfRandomRows() {
        Random r = new Random(5);
        for (int k : new int[] {1, 2, 40, 4096}) {
            float[] v = new float[4096];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(500) / 7f;     // many ties
            }
            Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -v[i]).thenComparingInt(i -> i));
            int[] idx = new int[k];
            float[] val = new float[k];
            ops.topK(Tensor.of(v, v.length), k, idx, val);
            int[] expected = new int[k];
            for (int i = 0; i < k; i++) {
                expected[i] = order[i];
            }
            assertArrayEquals(expected, idx, "k = " + k);
        }
    }

    @Test
    void topKRejectsKLargerThanTheRow() {
        Tensor row = Tensor.allocate(Arena.ofAuto(), DType.F32, 4);
        assertThrows(IllegalArgumentException.class, () -> ops.topK(row, 5, new int[5], new float[5]));
    }
}
