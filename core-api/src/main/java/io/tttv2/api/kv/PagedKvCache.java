package io.tttv2.api.kv;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A paged KV cache. For each layer, {@link #keys(int)} is a tensor of shape
 * {@code [blocks, blockSize, kvHeads, keyDim]} and {@link #values(int)} one of
 * {@code [blocks, blockSize, kvHeads, valueDim]}: token {@code p} of a sequence lives in block
 * {@code table.block(p / blockSize)} at row {@code p % blockSize}. A cache whose spec stores no values
 * ({@link KvCacheSpec#storesValues()} false) holds keys only: its attention reads each value as the first
 * elements of the key entry. Thread-safe for allocation; the contents of one sequence's blocks are written by
 * one thread at a time.
 */
@ConsumerType
public interface PagedKvCache extends AutoCloseable {

    KvCacheSpec spec();

    /** Keys of {@code layer}: {@code [blocks, blockSize, kvHeads, keyDim]}. */
    Tensor keys(int layer);

    /**
     * Values of {@code layer}: {@code [blocks, blockSize, kvHeads, valueDim]}.
     *
     * @throws IllegalStateException if the spec stores no values (they are read from {@link #keys(int)})
     */
    Tensor values(int layer);

    /** A new, empty block table for one sequence, drawing its blocks from this cache's pool. */
    BlockTable newSequence();

    /** Blocks not held by any sequence. */
    int freeBlocks();

    /** Whether its block tables {@linkplain BlockTable#fork fork}: sequences may share the blocks of a common prefix. */
    default boolean sharesBlocks() {
        return false;
    }

    /** Releases the cache's memory; every block table becomes invalid. */
    @Override
    void close();
}
