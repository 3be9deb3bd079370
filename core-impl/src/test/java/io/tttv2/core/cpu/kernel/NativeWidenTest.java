package io.tttv2.core.cpu.kernel;

import static io.tttv2.core.cpu.kernel.NativeOpsTesting.assertSameBits;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.nativeCall;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.requireRoute;
import static io.tttv2.core.cpu.kernel.NativeOpsTesting.withRoute;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.TestTensors;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Native BF16 / F16 row widening (row_ops.c tttv2_widen, behind Lanes.widen into memory and so behind embedding
 * rows and dtype-converting copies) against the Java loops, bit for bit: every 16-bit pattern but the NaNs (whose
 * payload bits the route does not promise), over row lengths with and without a vector tail and odd offsets.
 */
class NativeWidenTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BF16", "F16"})
    void everyNonNanHalfWidensToJavasBits(DType dtype) {
        requireRoute();
        // all 65536 patterns, NaNs replaced by 1.0's pattern, then shuffled
        short[] halves = new short[1 << 16];
        short one = dtype == DType.BF16 ? (short) 0x3F80 : (short) 0x3C00;
        for (int i = 0; i < halves.length; i++) {
            halves[i] = isNan(dtype, i) ? one : (short) i;
        }
        Random r = new Random(dtype.ordinal());
        for (int i = halves.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            short t = halves[i];
            halves[i] = halves[j];
            halves[j] = t;
        }
        MemorySegment src = Arena.ofAuto().allocate(2L * halves.length, 64);
        MemorySegment.copy(halves, 0, src, Lanes.I16_LE, 0, halves.length);
        float[] scratch = new float[halves.length];
        for (int n : new int[] {1, 15, 16, 17, 2048, 2048 + 9, halves.length - 3}) {
            long from = n % 3;
            MemorySegment javaDst = Arena.ofAuto().allocate(4L * (n + 4), 64);
            MemorySegment nativeDst = Arena.ofAuto().allocate(4L * (n + 4), 64);
            withRoute(false, () -> Lanes.widen(dtype, src, from, n, javaDst, 1, scratch));
            nativeCall(NativeOps.WIDEN, true, "widen", () -> Lanes.widen(dtype, src, from, n, nativeDst, 1, scratch));
            assertSameBits(javaDst.toArray(Lanes.F32_LE), nativeDst.toArray(Lanes.F32_LE), dtype + " n=" + n);
            assertEquals(0, nativeDst.get(Lanes.F32_LE, 4L * (n + 1)), "wrote past the row");
        }
    }

    /** An embedding table's rows go through the route and come out as the Java gather's. */
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"BF16", "F16"})
    void embeddingRowsTakeTheRoute(DType dtype) {
        requireRoute();
        Random r = new Random(7);
        int vocab = 50;
        int h = 72;
        Tensor table = Tensor.allocate(Arena.ofAuto(), dtype, vocab, h);
        TestTensors.set(table, NativeOpsTesting.values(r, vocab * h));
        int[] ids = {4, 49, 0, 4, 17};
        Tensor javaOut = Tensor.allocate(Arena.ofAuto(), DType.F32, ids.length, h);
        Tensor nativeOut = Tensor.allocate(Arena.ofAuto(), DType.F32, ids.length, h);
        withRoute(false, () -> EmbeddingKernel.gather(table, ids, javaOut, 0, ids.length));
        nativeCall(NativeOps.WIDEN, true, "embedding", () -> EmbeddingKernel.gather(table, ids, nativeOut, 0, ids.length));
        assertSameBits(javaOut.toFloatArray(), nativeOut.toFloatArray(), dtype + " embedding");
        assertSameBits(table.select(0, 49).toFloatArray(), nativeOut.select(0, 1).toFloatArray(), "row 49");
    }

    private static boolean isNan(DType dtype, int bits) {
        return dtype == DType.BF16 ? (bits & 0x7F80) == 0x7F80 && (bits & 0x7F) != 0
                : (bits & 0x7C00) == 0x7C00 && (bits & 0x3FF) != 0;
    }
}
