package io.tttv2.contrib.flashattention;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheFullException;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * A paged KV cache of the tests' own, by core-api's contract only (K and V [blocks, blockSize, kvHeads, D]
 * per layer; token p of a sequence in block {@code table.block(p / blockSize)}, row {@code p % blockSize}).
 * Blocks are handed out from the last one down, so a sequence's blocks are never consecutive ascending, and
 * sequences that grow in turn interleave theirs. {@link #write} stands in for the attention module's cache write.
 */
final class TestKvCache implements PagedKvCache {

    private final KvCacheSpec spec;
    private final Tensor[] keys;        // [layers] of [blocks, blockSize, kvHeads, D]
    private final Tensor[] values;      // [layers] of [blocks, blockSize, kvHeads, D]
    private int nextFree;               // blocks nextFree, nextFree-1, .. 0 are free

    TestKvCache(KvCacheSpec spec) {
        this.spec = spec;
        this.keys = new Tensor[spec.layers()];
        this.values = new Tensor[spec.layers()];
        for (int l = 0; l < spec.layers(); l++) {
            keys[l] = Tensor.allocate(Arena.ofAuto(), spec.dtype(), spec.blocks(), spec.blockSize(), spec.kvHeads(), spec.keyDim());
            values[l] = Tensor.allocate(Arena.ofAuto(), spec.dtype(), spec.blocks(), spec.blockSize(), spec.kvHeads(), spec.valueDim());
        }
        this.nextFree = spec.blocks() - 1;
    }

    /**
     * Stores token {@code position}'s key and value (k, v [kvHeads][D]) in the cache's dtype, and returns
     * them as stored (rounded to BF16 or F16), for the reference.
     */
    float[][][] write(int layer, BlockTable table, int position, float[][] k, float[][] v) {
        int block = table.block(position / spec.blockSize());
        int row = position % spec.blockSize();
        float[][][] stored = new float[2][spec.kvHeads()][spec.keyDim()];
        for (int g = 0; g < spec.kvHeads(); g++) {
            for (int d = 0; d < spec.keyDim(); d++) {
                keys[layer].setFloat(k[g][d], block, row, g, d);
                values[layer].setFloat(v[g][d], block, row, g, d);
                stored[0][g][d] = keys[layer].getFloat(block, row, g, d);
                stored[1][g][d] = values[layer].getFloat(block, row, g, d);
            }
        }
        return stored;
    }

    @Override
    public KvCacheSpec spec() {
        return spec;
    }

    @Override
    public Tensor keys(int layer) {
        return keys[layer];
    }

    @Override
    public Tensor values(int layer) {
        return values[layer];
    }

    @Override
    public BlockTable newSequence() {
        return new Table();
    }

    @Override
    public int freeBlocks() {
        return nextFree + 1;
    }

    @Override
    public void close() {
    }

    private final class Table implements BlockTable {
        private int[] blocks = new int[0];
        private int length;

        @Override
        public int length() {
            return length;
        }

        @Override
        public void setLength(int tokens) {
            if (tokens > blocks.length * spec.blockSize()) {
                throw new IllegalArgumentException("test cache: " + tokens + " tokens in " + blocks.length + " blocks");
            }
            length = tokens;
        }

        @Override
        public void reserve(int tokens) {
            while (blocks.length * spec.blockSize() < tokens) {
                if (nextFree < 0) {
                    throw new KvCacheFullException("test cache: no free block for " + tokens + " tokens");
                }
                blocks = Arrays.copyOf(blocks, blocks.length + 1);
                blocks[blocks.length - 1] = nextFree--;
            }
        }

        @Override
        public int blockCount() {
            return blocks.length;
        }

        @Override
        public int block(int i) {
            if (i < 0 || i >= blocks.length) {
                throw new IndexOutOfBoundsException("test cache: logical block " + i + " of a sequence holding "
                        + blocks.length);
            }
            return blocks[i];
        }

        @Override
        public int[] blocks() {
            return blocks.clone();
        }

        @Override
        public void release() {
            blocks = new int[0];
            length = 0;
        }
    }
}
