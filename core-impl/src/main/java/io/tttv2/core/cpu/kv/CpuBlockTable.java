package io.tttv2.core.cpu.kv;

import io.tttv2.api.kv.BlockTable;
import java.util.Arrays;

/**
 * One sequence's blocks in a {@link CpuPagedKvCache}, in position order. Used by one thread at a time. Blocks may be
 * shared with forked tables; {@link #reserve} copies a shared block before this table writes into it.
 */
final class CpuBlockTable implements BlockTable {

    /** Copies one block's keys and values, every layer, into another block. */
    interface BlockCopier {
        void copy(int from, int to);
    }

    private final BlockPool pool;
    private final BlockCopier copier;
    private final int blockSize;
    private int[] blocks = new int[4];
    private int count;
    private int length;

    CpuBlockTable(BlockPool pool, BlockCopier copier, int blockSize) {
        this.pool = pool;
        this.copier = copier;
        this.blockSize = blockSize;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void setLength(int tokens) {
        if (tokens < 0 || tokens > count * blockSize) {
            throw new IllegalArgumentException("block table: length " + tokens + " outside the reserved room of "
                    + count * blockSize + " tokens (" + count + " blocks of " + blockSize + "); call reserve first");
        }
        length = tokens;
    }

    @Override
    public void reserve(int tokens) {
        int needed = (tokens + blockSize - 1) / blockSize;
        // the blocks positions length .. tokens-1 will be written to: a shared one is copied first (copy-on-write)
        for (int i = length / blockSize; i < Math.min(needed, count); i++) {
            if (pool.shared(blocks[i])) {
                int[] own = new int[1];
                pool.take(1, own, 0, tokens, blockSize);
                copier.copy(blocks[i], own[0]);
                pool.give(blocks, i, 1);
                blocks[i] = own[0];
            }
        }
        if (needed <= count) {
            return;
        }
        if (needed > blocks.length) {
            blocks = Arrays.copyOf(blocks, Math.max(needed, blocks.length * 2));
        }
        pool.take(needed - count, blocks, count, tokens, blockSize);
        count = needed;
    }

    @Override
    public int blockCount() {
        return count;
    }

    @Override
    public int block(int i) {
        if (i >= count) {
            throw new IndexOutOfBoundsException("block table: logical block " + i + " of a sequence holding "
                    + count + " blocks (positions up to " + (count * blockSize - 1) + ")");
        }
        return blocks[i];
    }

    @Override
    public int[] blocks() {
        return Arrays.copyOf(blocks, count);
    }

    @Override
    public void release() {
        pool.give(blocks, 0, count);
        count = 0;
        length = 0;
    }

    @Override
    public BlockTable fork(int tokens) {
        if (tokens < 0 || tokens > length) {
            throw new IllegalArgumentException("block table: fork of " + tokens + " tokens from a sequence holding "
                    + length + ", expected 0.." + length);
        }
        int shared = (tokens + blockSize - 1) / blockSize;
        CpuBlockTable fork = new CpuBlockTable(pool, copier, blockSize);
        fork.blocks = Arrays.copyOf(blocks, Math.max(4, shared));
        pool.share(blocks, shared);
        fork.count = shared;
        fork.length = tokens;
        return fork;
    }

    @Override
    public String toString() {
        return "BlockTable[" + length + " tokens in blocks " + Arrays.toString(blocks()) + "]";
    }
}
