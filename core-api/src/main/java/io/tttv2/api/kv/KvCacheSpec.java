package io.tttv2.api.kv;

import io.tttv2.api.tensor.DType;

/**
 * Dimensions of a paged KV cache. Each token of each layer holds, per kv head, a key entry of {@code keyDim}
 * elements and a value entry of {@code valueDim} elements. Standard attention caches K and V alike
 * ({@link #forHeads}); an attention whose values are part of its keys stores none separately
 * ({@code valueDim} 0): multi-head latent attention caches one entry per token, the compressed latent
 * followed by the rotary key, and reads its values from the latent (the first elements of each key entry).
 *
 * @param layers    decoder layers, each with its own keys (and values)
 * @param kvHeads   key/value heads per layer (1 for a latent cache)
 * @param keyDim    elements of one head's key entry
 * @param valueDim  elements of one head's value entry; 0 when values are not stored separately
 * @param blockSize tokens per block (default {@link #DEFAULT_BLOCK_SIZE})
 * @param blocks    blocks in the pool, shared by all sequences
 * @param dtype     element type of the stored entries
 */
public record KvCacheSpec(int layers, int kvHeads, int keyDim, int valueDim, int blockSize, int blocks, DType dtype) {

    public static final int DEFAULT_BLOCK_SIZE = 32;

    public KvCacheSpec {
        if (layers <= 0 || kvHeads <= 0 || keyDim <= 0 || valueDim < 0 || blockSize <= 0 || blocks <= 0) {
            throw new IllegalArgumentException("KV cache dimensions must be positive (value dim >= 0): " + layers
                    + " layers, " + kvHeads + " kv heads, key dim " + keyDim + ", value dim " + valueDim
                    + ", block size " + blockSize + ", " + blocks + " blocks");
        }
        if (dtype == null) {
            throw new IllegalArgumentException("KV cache needs a dtype, found none");
        }
    }

    /** Keys and values alike: {@code kvHeads × headDim} each per token and layer. */
    public static KvCacheSpec forHeads(int layers, int kvHeads, int headDim, int blockSize, int blocks, DType dtype) {
        return new KvCacheSpec(layers, kvHeads, headDim, headDim, blockSize, blocks, dtype);
    }

    /** True when values have their own entries ({@code valueDim > 0}); false when they are read from the keys. */
    public boolean storesValues() {
        return valueDim > 0;
    }

    /** This shape with another pool: {@code blocks} blocks of {@code blockSize} tokens. */
    public KvCacheSpec withBlocks(int blockSize, int blocks) {
        return new KvCacheSpec(layers, kvHeads, keyDim, valueDim, blockSize, blocks, dtype);
    }

    /** The blocks needed to hold {@code tokens} tokens of one sequence. */
    public int blocksFor(int tokens) {
        return (tokens + blockSize - 1) / blockSize;
    }

    /** Elements one token occupies in one layer: {@code kvHeads · (keyDim + valueDim)}. */
    public long elementsPerTokenPerLayer() {
        return (long) kvHeads * (keyDim + valueDim);
    }

    /** Bytes one token occupies across all layers. */
    public long bytesPerToken() {
        return layers * elementsPerTokenPerLayer() * dtype.byteSize();
    }

    /** Bytes the whole cache occupies. */
    public long byteSize() {
        return (long) blocks * blockSize * bytesPerToken();
    }
}
