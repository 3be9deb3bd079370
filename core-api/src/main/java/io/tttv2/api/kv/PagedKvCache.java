package io.tttv2.api.kv;

import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A paged KV cache. For each layer, {@link #keys(int)} and {@link #values(int)} are tensors of shape
 * {@code [blocks, blockSize, kvHeads, headDim]}: token {@code p} of a sequence lives in block
 * {@code table.block(p / blockSize)} at row {@code p % blockSize}. Thread-safe for allocation; the
 * contents of one sequence's blocks are written by one thread at a time.
 */
@ConsumerType
public interface PagedKvCache extends AutoCloseable {

    KvCacheSpec spec();

    /** Keys of {@code layer}: {@code [blocks, blockSize, kvHeads, headDim]}. */
    Tensor keys(int layer);

    /** Values of {@code layer}: {@code [blocks, blockSize, kvHeads, headDim]}. */
    Tensor values(int layer);

    /** A new, empty block table for one sequence, drawing its blocks from this cache's pool. */
    BlockTable newSequence();

    /** Blocks not held by any sequence. */
    int freeBlocks();

    /** Releases the cache's memory; every block table becomes invalid. */
    @Override
    void close();
}
