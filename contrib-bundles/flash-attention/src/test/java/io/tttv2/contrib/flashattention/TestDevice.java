package io.tttv2.contrib.flashattention;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;

/** A device that only states its parallelism and allocates {@link TestKvCache}s: all the backend asks of one. */
record TestDevice(int parallelism) implements Device {

    @Override
    public String name() {
        return "test";
    }

    @Override
    public Ops ops() {
        throw new UnsupportedOperationException("test device: the attention backend needs no ops");
    }

    @Override
    public PagedKvCache allocateKvCache(KvCacheSpec spec) {
        return new TestKvCache(spec);
    }
}
