package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.cpu.kernel.JavaKernelSwitch;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A BF16 matmul read in place allocates nothing once compiled, on each of its loops: short rows (K &lt; 1024,
 * 4 rows of w side by side, one or 4 rows of x), one row of w at a time (K ≤ 4096), 4 rows side by side (longer
 * K), 4 rows of x against one row of w (M = 4); and so does the native kernel's route (NativeBf16Matmul), whose
 * binding and downcalls must not allocate per call either. A vector crossing a
 * method C2 did not inline is boxed, and the loop then allocates per step. Batches of calls run until one
 * allocates less than a byte per call (C2 compiles in the background), within a time limit.
 */
class Bf16DecodeAllocationTest {

    private static final int BATCH = 2_000;
    private static final long LIMIT_NANOS = 90_000_000_000L;

    @ParameterizedTest(name = "M={0} K={1} N={2} java={3}")
    @CsvSource({"1, 256, 12, true", "1, 2048, 12, true", "1, 4224, 4, true", "4, 256, 12, true",
            "4, 2048, 12, true", "5, 4224, 4, true",
            // the native kernel (where bound): its binding and downcalls allocate nothing either
            "1, 2048, 12, false", "8, 2048, 12, false"})
    void bf16MatmulInPlaceAllocatesNothingOnceCompiled(int m, int k, int n, boolean javaOnly) {
        boolean old = JavaKernelSwitch.set(DType.BF16, javaOnly);
        try {
            run(m, k, n);
        } finally {
            JavaKernelSwitch.set(DType.BF16, old);
        }
    }

    private static void run(int m, int k, int n) {
        Random r = new Random(9);
        Tensor w = TestTensors.random(r, DType.BF16, n, k);
        Tensor x = TestTensors.random(r, DType.F32, m, k);
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, m, n);
        Ops ops = TestTensors.device(1).ops();    // one thread: the whole call runs here
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
        assertTrue(allocated < BATCH, "M=" + m + " K=" + k + ": " + allocated + " bytes allocated over " + BATCH + " matmuls");
    }
}
