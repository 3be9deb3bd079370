package io.tttv2.core.cpu.kv;

import io.tttv2.api.kv.BlockTable;
import java.util.Arrays;

/** One sequence's blocks in a {@link CpuPagedKvCache}, in position order. Used by one thread at a time. */
final class CpuBlockTable implements BlockTable {

    private final BlockPool pool;
    private final int blockSize;
    private int[] blocks = new int[4];
    private int count;
    private int length;

    CpuBlockTable(BlockPool pool, int blockSize) {
        this.pool = pool;
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
        pool.give(blocks, count);
        count = 0;
        length = 0;
    }

    @Override
    public String toString() {
        return "BlockTable[" + length + " tokens in blocks " + Arrays.toString(blocks()) + "]";
    }
}
