package io.tttv2.api.ops;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Where ops run: a device executes its {@link #ops()} on its own workers and owns the memory of the KV
 * caches it allocates. Offered as an OSGi service with the {@link #NAME} property.
 */
@ConsumerType
public interface Device {

    /** Service property: the device's name, e.g. {@code cpu}. */
    String NAME = "tttv2.device";

    /** The device's name, e.g. {@code cpu}. */
    String name();

    /** How many workers run one op in parallel. */
    int parallelism();

    /** The op library on this device. */
    Ops ops();

    /** A zeroed paged KV cache in this device's memory. */
    PagedKvCache allocateKvCache(KvCacheSpec spec);
}
