package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class KernelWarmUpTest {

    @Test
    void runsEveryRoundOfTheBlockWithoutFailing() {
        // run() swallows failures (a failed warm-up must not break the device): a failing op ends it early
        KernelWarmUp warmUp = new KernelWarmUp(() -> false, 2);
        warmUp.run();
        assertEquals(2, warmUp.completedRounds());
    }

    @Test
    void doesNothingOnceRealWorkHasStarted() {
        KernelWarmUp warmUp = new KernelWarmUp(() -> true, 3);
        warmUp.run();
        assertEquals(0, warmUp.completedRounds());
    }

    @Test
    void stopsAtTheDevicesFirstMatmul() throws InterruptedException {
        try (CpuDevice device = new CpuDevice(2); Arena arena = Arena.ofConfined()) {
            Thread thread = device.startWarmUp(Integer.MAX_VALUE);
            assertTrue(thread.isDaemon());
            Tensor x = Tensor.allocate(arena, DType.F32, 1, 8);
            Tensor w = Tensor.allocate(arena, DType.BF16, 4, 8);
            Tensor out = Tensor.allocate(arena, DType.F32, 1, 4);
            device.ops().matmul(x, w, null, out);
            thread.join(120_000);
            assertFalse(thread.isAlive(), "the warm-up kept running after the device's first matmul");
        }
    }

    @Test
    void stopsWhenTheDeviceCloses() throws InterruptedException {
        Thread thread;
        try (CpuDevice device = new CpuDevice(1)) {
            thread = device.startWarmUp(Integer.MAX_VALUE);
        }
        thread.join(120_000);
        assertFalse(thread.isAlive(), "the warm-up kept running after the device closed");
    }
}
