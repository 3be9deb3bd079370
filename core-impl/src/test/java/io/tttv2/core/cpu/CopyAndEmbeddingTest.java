package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.assertClose;
import static io.tttv2.core.cpu.TestTensors.device;
import static io.tttv2.core.cpu.TestTensors.random;
import static io.tttv2.core.cpu.TestTensors.roundTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CopyAndEmbeddingTest {

    static List<Arguments> copyCases() {
        List<Arguments> all = new ArrayList<>();
        DType[] floats = {DType.F32, DType.BF16, DType.F16};
        for (DType from : floats) {
            for (DType to : floats) {
                for (boolean transposed : new boolean[] {false, true}) {
                    for (int workers : new int[] {1, 2}) {
                        all.add(Arguments.of(from, to, transposed, workers));
                    }
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} → {1} strided={2} workers={3}")
    @MethodSource("copyCases")
    void copiesAndConverts(DType from, DType to, boolean strided, int workers) {
        Random r = new Random(from.ordinal() * 10L + to.ordinal());
        Ops ops = device(workers).ops();
        int rows = 70, cols = 257;
        Tensor src = random(r, from, rows, strided ? cols * 2 : cols);
        if (strided) {
            src = src.reshape(rows, cols, 2).select(2, 1);   // element stride 2
        }
        Tensor dstWide = Tensor.allocate(Arena.ofAuto(), to, rows, cols + 3);
        Tensor dst = strided ? dstWide.slice(1, 2, cols) : Tensor.allocate(Arena.ofAuto(), to, rows, cols);
        ops.copy(src, dst);
        float[] sv = src.toFloatArray();
        double[] expected = new double[sv.length];
        for (int i = 0; i < sv.length; i++) {
            expected[i] = roundTo(to, sv[i]);
        }
        assertClose(expected, dst, 0, 0, "copy " + from + " → " + to);
    }

    @Test
    void roundsToNearestEvenIntoBf16() {
        Ops ops = device(1).ops();
        // 1 + 2^-8 is half-way between two BF16 values: ties to even (1.0); 1 + 3·2^-8 rounds up
        Tensor src = Tensor.of(new float[] {1f + 0x1p-8f, 1f + 3 * 0x1p-8f, -1f - 0x1p-7f - 0x1p-9f}, 3);
        Tensor dst = Tensor.allocate(Arena.ofAuto(), DType.BF16, 3);
        ops.copy(src, dst);
        assertEquals(1f, dst.getFloat(0));
        assertEquals(1f + 0x1p-6f, dst.getFloat(1));
        assertEquals(-1f - 0x1p-7f, dst.getFloat(2));
    }

    @Test
    void copiesIntegersOfTheSameType() {
        Tensor src = Tensor.allocate(Arena.ofAuto(), DType.I32, 2, 3);
        src.base().set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 8, 42);
        Tensor dst = Tensor.allocate(Arena.ofAuto(), DType.I32, 2, 3);
        device(1).ops().copy(src, dst);
        assertEquals(42, dst.getLong(0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> device(1).ops().copy(src, Tensor.allocate(Arena.ofAuto(), DType.F32, 2, 3)));
    }

    static List<Arguments> embeddingCases() {
        List<Arguments> all = new ArrayList<>();
        for (DType dt : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            for (int h : new int[] {1, 7, 65, 256}) {
                for (int workers : new int[] {1, 2}) {
                    all.add(Arguments.of(dt, h, workers));
                }
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} H={1} workers={2}")
    @MethodSource("embeddingCases")
    void gathersRows(DType dtype, int h, int workers) {
        Random r = new Random(h);
        Tensor table = random(r, dtype, 50, h);
        int[] ids = new int[130];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(50);
        }
        ids[0] = 0;
        ids[1] = 49;
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, ids.length, h);
        device(workers).ops().embedding(table, ids, out);
        double[] expected = new double[ids.length * h];
        for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < h; j++) {
                expected[i * h + j] = table.getFloat(ids[i], j);
            }
        }
        assertClose(expected, out, 0, 0, "embedding " + dtype);
    }

    @Test
    void rejectsATokenIdOutsideTheVocabulary() {
        Tensor table = Tensor.allocate(Arena.ofAuto(), DType.BF16, 10, 4);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> device(1).ops().embedding(table, new int[] {10}, out));
        assertTrue(e.getMessage().contains("token id 10"), e.getMessage());
    }
}
