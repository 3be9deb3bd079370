package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A decode matmul (M = 1) over block-quantised weights allocates nothing once compiled: a vector that crosses a
 * method C2 did not inline is boxed, which made the Q4_0 loop allocate per block and run 10× slower. Batches of
 * calls run until one allocates less than a byte per call (C2 compiles in the background, slowly on a loaded
 * machine), within a time limit; a kernel that keeps allocating fails.
 */
class QuantizedDecodeAllocationTest {

    private static final int BATCH = 5_000;
    private static final long LIMIT_NANOS = 90_000_000_000L;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q4_K", "Q5_K", "Q6_K"})
    void decodeMatmulAllocatesNothingOnceCompiled(DType type) {
        Random r = new Random(5);
        // [12, 2 blocks] weights: 12 · K multiply-adds stay under the pool's threshold, so the call runs on this thread
        int k = 2 * type.blockSize();
        Tensor w = QuantizedMatmulTest.quantized(r, type, 12, k);
        Tensor x = TestTensors.random(r, DType.F32, 1, k);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, 12);
        Ops ops = TestTensors.device(1).ops();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        long allocated;
        do {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < BATCH; i++) {
                ops.matmul(x, w, null, out);
            }
            allocated = threads.getCurrentThreadAllocatedBytes() - before;
        } while (allocated >= BATCH && System.nanoTime() - start < LIMIT_NANOS);
        assertTrue(allocated < BATCH, type + ": " + allocated + " bytes allocated over " + BATCH + " decode matmuls");
    }
}
