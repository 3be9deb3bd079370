package io.tttv2.contrib.blas;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;

/**
 * The device {@value #NAME}: matmul on OpenBLAS, every other op and the KV caches on the CPU device it
 * wraps (so caches live in the same off-heap memory the CPU attention reads).
 */
public final class BlasDevice implements Device {

    public static final String NAME = "blas";

    private final Device cpu;
    private final BlasOps ops;

    public BlasDevice(Device cpu, CBlas blas) {
        this.cpu = cpu;
        this.ops = new BlasOps(blas, cpu.ops());
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The CPU device's workers (OpenBLAS runs its own threads for matmul). */
    @Override
    public int parallelism() {
        return cpu.parallelism();
    }

    @Override
    public Ops ops() {
        return ops;
    }

    @Override
    public PagedKvCache allocateKvCache(KvCacheSpec spec) {
        return cpu.allocateKvCache(spec);
    }

    @Override
    public String toString() {
        return "BlasDevice[over " + cpu + "]";
    }
}
