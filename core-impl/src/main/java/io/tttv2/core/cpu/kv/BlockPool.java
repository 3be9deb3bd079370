package io.tttv2.core.cpu.kv;

import io.tttv2.api.kv.KvCacheFullException;

/**
 * The free blocks of a paged KV cache: a stack of block ids, taken and returned all-or-nothing under one
 * lock (taking a few blocks is rare next to the work done with them). Each held block counts its holders (block
 * tables sharing a prefix); it returns to the stack when the last lets it go.
 */
final class BlockPool {

    private final int total;
    private final int[] free;   // free[0 .. count) are free block ids
    private int count;
    private final int[] holders;   // per block id: the tables holding it (0: free)

    BlockPool(int total) {
        this.total = total;
        this.free = new int[total];
        this.holders = new int[total];
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
            int id = free[--count];
            holders[id] = 1;
            into[at + i] = id;
        }
    }

    /** One more table holds each of {@code ids[0 .. n)} (a fork). */
    synchronized void share(int[] ids, int n) {
        for (int i = 0; i < n; i++) {
            if (holders[ids[i]] <= 0) {
                throw new IllegalStateException("KV cache pool: sharing block " + ids[i] + ", which no table holds");
            }
            holders[ids[i]]++;
        }
    }

    /** Whether another table holds block {@code id} too. */
    synchronized boolean shared(int id) {
        return holders[id] > 1;
    }

    /** One holder lets go of each of {@code ids[from .. from+n)}; a block no table holds any more returns to the pool. */
    synchronized void give(int[] ids, int from, int n) {
        for (int i = from; i < from + n; i++) {
            if (holders[ids[i]] <= 0) {
                throw new IllegalStateException("KV cache pool: returning block " + ids[i] + ", which no table holds"
                        + " (a block table was released twice?)");
            }
        }
        for (int i = from; i < from + n; i++) {
            if (--holders[ids[i]] == 0) {
                free[count++] = ids[i];
            }
        }
    }
}
