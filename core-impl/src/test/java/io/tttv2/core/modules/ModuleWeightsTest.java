package io.tttv2.core.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The load-time widening of BF16/F16 vectors against the tensor's own element reads, every 16-bit pattern. */
class ModuleWeightsTest {

    @Test
    void bf16AndF16VectorsWidenExactlyForEveryBitPattern() {
        for (DType dtype : new DType[] {DType.BF16, DType.F16}) {
            int n = 1 << 16;
            MemorySegment bytes = Arena.ofAuto().allocate(2L * n + 2, 2);
            for (int i = 0; i < n; i++) {
                // shifted by one element: a vector that does not start at its segment's first byte
                bytes.setAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), i + 1, (short) i);
            }
            Tensor in = Tensor.wrap(bytes, dtype, n + 1).slice(0, 1, n);
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, n);
            ModuleWeights.widen(in, out);
            for (int i = 0; i < n; i++) {
                float expected = in.getFloat(i);
                float got = out.getFloat(i);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(got),
                        dtype + " pattern 0x" + Integer.toHexString(i) + ": " + expected + " vs " + got);
            }
        }
    }
}
