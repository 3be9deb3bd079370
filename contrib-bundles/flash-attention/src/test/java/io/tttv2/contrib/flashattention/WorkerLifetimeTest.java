package io.tttv2.contrib.flashattention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.AttentionParams;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A backend's worker threads: {@code device.parallelism() - 1} of them (the caller is the last), started with
 * the backend, and ended once the backend is garbage, since an {@code AttentionBackend} has no close.
 */
class WorkerLifetimeTest {

    @Test
    void aBackendStartsParallelismMinusOneWorkersThatEndWhenItIsCollected() throws InterruptedException {
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        AttentionBackend backend = new FlashAttentionBackendFactory().create(
                new AttentionBackendSpec(4, 2, 16, new AttentionParams(0.25f, true, 0, 0f)), ModuleConfig.defaults(),
                new TestDevice(4));
        List<Thread> started = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.getName().startsWith("tttv2-flash-attention-")).toList();
        assertEquals(3, started.size(), started.toString());
        assertTrue(started.stream().allMatch(Thread::isDaemon), started.toString());

        backend = null;     // the only reference
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (started.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertTrue(started.stream().noneMatch(Thread::isAlive), "still running 30 s after the backend was dropped: "
                + started.stream().filter(Thread::isAlive).toList());
    }
}
