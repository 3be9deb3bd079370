package io.tttv2.contrib.flashattention;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Decode allocates nothing once warm, on the calling thread or on the backend's workers: over many steps of a
 * batch of three (GQA, window, soft-cap, several blocks per sequence), less than one byte per step on average
 * (a single per-step object would cost at least 16).
 */
class DecodeAllocationTest {

    private static final int STEPS = 20_000;

    @Test
    void decodeStepsAllocateNothingOnTheCallerOrTheWorkers() {
        AttentionBackend backend = new FlashAttentionBackendFactory().create(
                new AttentionBackendSpec(8, 2, 16, new AttentionParams(0.25f, true, 24, 30f)), new ModuleConfig(4, 8),
                new TestDevice(3));
        TestKvCache cache = new TestKvCache(KvCacheSpec.forHeads(2, 2, 16, 8, 32, DType.F32));
        int[] positions = {40, 9, 27};
        BlockTable[] tables = new BlockTable[positions.length];
        float[][] kv = new float[2][16];
        for (int b = 0; b < tables.length; b++) {
            tables[b] = cache.newSequence();
            tables[b].reserve(positions[b] + 1);
            for (int t = 0; t <= positions[b]; t++) {
                for (float[] head : kv) {
                    Arrays.fill(head, (float) Math.sin(t + 7 * b));
                }
                cache.write(1, tables[b], t, kv, kv);
            }
        }
        Tensor q = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, 8, 16);
        for (int b = 0; b < 3; b++) {
            q.setFloat(1, b, b, 0);
        }
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, 3, 8, 16);
        Runnable decode = () -> backend.decode(q, cache, 1, tables, positions, out);
        for (int i = 0; i < STEPS; i++) {
            decode.run();
        }
        long[] workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("tttv2-flash-attention-")).mapToLong(Thread::threadId).toArray();
        assertTrue(workers.length >= 2, "the backend's 2 worker threads, found " + workers.length);
        long[] threads = Arrays.copyOf(workers, workers.length + 1);
        threads[workers.length] = Thread.currentThread().threadId();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] before = mx.getThreadAllocatedBytes(threads);
        for (int i = 0; i < STEPS; i++) {
            decode.run();
        }
        long[] after = mx.getThreadAllocatedBytes(threads);
        long allocated = 0;
        for (int i = 0; i < threads.length; i++) {
            if (before[i] >= 0 && after[i] >= 0) {      // -1: a thread (of a collected backend) that has ended
                allocated += after[i] - before[i];
            }
        }
        assertTrue(allocated < STEPS, allocated + " bytes allocated over " + STEPS + " decode steps");
    }
}
