package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.DType;
import io.tttv2.core.cpu.kv.CpuPagedKvCache;
import org.junit.jupiter.api.Test;

class CpuDeviceTest {

    @Test
    void describesItselfAndAllocatesCaches() {
        try (CpuDevice device = new CpuDevice(3)) {
            assertEquals("cpu", device.name());
            assertEquals(3, device.parallelism());
            assertTrue(device.ops() instanceof CpuOps);
            try (PagedKvCache cache = device.allocateKvCache(KvCacheSpec.forHeads(2, 2, 8, 4, 3, DType.F32))) {
                assertTrue(cache instanceof CpuPagedKvCache);
                assertEquals(3, cache.freeBlocks());
            }
        }
    }

    @Test
    void theComponentConfigurationDefaultsToOneWorkerPerProcessor() {
        try (CpuDevice byDefault = new CpuDevice(config(0)); CpuDevice two = new CpuDevice(config(2))) {
            assertEquals(Runtime.getRuntime().availableProcessors(), byDefault.parallelism());
            assertEquals(2, two.parallelism());
        }
    }

    /** The configuration DS would pass, as an instance of the annotation type. */
    private static CpuDevice.Config config(int workers) {
        return new CpuDevice.Config() {
            @Override
            public int workers() {
                return workers;
            }

            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return CpuDevice.Config.class;
            }
        };
    }

    @Test
    void rejectsZeroWorkers() {
        assertThrows(IllegalArgumentException.class, () -> new CpuDevice(0));
    }

    @Test
    void rejectsAnIntegerKvCache() {
        try (CpuDevice device = new CpuDevice(1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> device.allocateKvCache(KvCacheSpec.forHeads(1, 1, 4, 4, 1, DType.I32)));
        }
    }
}
