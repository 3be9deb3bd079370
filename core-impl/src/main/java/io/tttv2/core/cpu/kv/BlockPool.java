package io.tttv2.core.cpu.kv;

import io.tttv2.api.kv.KvCacheFullException;

/**
 * The free blocks of a paged KV cache: a stack of block ids, taken and returned all-or-nothing under one
 * lock (taking a few blocks is rare next to the work done with them).
 */
final class BlockPool {

    private final int total;
    private final int[] free;   // free[0 .. count) are free block ids
    private int count;

    BlockPool(int total) {
        this.total = total;
        this.free = new int[total];
        // lowest ids on top, so a fresh cache hands out blocks 0, 1, 2, …
        for (int i = 0; i < total; i++) {
            free[i] = total - 1 - i;
        }
        this.count = total;
    }

    int total() {
        return total;
    }

    synchronized int free() {
        return count;
    }

    /**
     * Moves {@code n} free block ids into {@code into[at .. at+n)}.
     *
     * @throws KvCacheFullException if fewer than n are free (nothing is taken then)
     */
    synchronized void take(int n, int[] into, int at, int tokens, int blockSize) {
        if (n > count) {
            throw new KvCacheFullException("KV cache full: a sequence of " + tokens + " tokens needs " + n
                    + " more blocks of " + blockSize + " tokens, " + count + " of " + total + " are free");
        }
        for (int i = 0; i < n; i++) {
            into[at + i] = free[--count];
        }
    }

    /** Returns {@code ids[0 .. n)} to the pool. */
    synchronized void give(int[] ids, int n) {
        if (count + n > total) {
            throw new IllegalStateException("KV cache pool: returning " + n + " blocks to a pool with " + count
                    + " of " + total + " free (a block table was released twice?)");
        }
        for (int i = 0; i < n; i++) {
            free[count++] = ids[i];
        }
    }
}
