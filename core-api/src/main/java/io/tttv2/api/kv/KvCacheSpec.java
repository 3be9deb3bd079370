package io.tttv2.api.kv;

import io.tttv2.api.tensor.DType;

/**
 * Dimensions of a paged KV cache.
 *
 * @param layers    decoder layers, each with its own K and V
 * @param kvHeads   key/value heads per layer
 * @param headDim   elements per head
 * @param blockSize tokens per block (default {@link #DEFAULT_BLOCK_SIZE})
 * @param blocks    blocks in the pool, shared by all sequences
 * @param dtype     element type of the stored keys and values
 */
public record KvCacheSpec(int layers, int kvHeads, int headDim, int blockSize, int blocks, DType dtype) {

    public static final int DEFAULT_BLOCK_SIZE = 32;

    public KvCacheSpec {
        if (layers <= 0 || kvHeads <= 0 || headDim <= 0 || blockSize <= 0 || blocks <= 0) {
            throw new IllegalArgumentException("KV cache dimensions must be positive: " + layers + " layers, "
                    + kvHeads + " kv heads, head dim " + headDim + ", block size " + blockSize + ", " + blocks + " blocks");
        }
    }

    /** The blocks needed to hold {@code tokens} tokens of one sequence. */
    public int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    /** Bytes the whole cache occupies. */
    public long byteSize() {
        return 2L * layers * blocks * blockSize * kvHeads * headDim * dtype.byteSize();
    }
}
