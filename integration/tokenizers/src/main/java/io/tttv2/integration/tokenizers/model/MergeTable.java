package io.tttv2.integration.tokenizers.model;

import java.util.Arrays;

/**
 * BPE merges by pair: (left id, right id) → (rank, merged id), in an open-addressing table of primitive longs
 * so the merge loop does no boxing. A later duplicate of a pair replaces the earlier one, as HF's HashMap does.
 */
public final class MergeTable {
    private static final long EMPTY = -1L;

    /** [capacity] packed pair {@code left << 32 | right}, or EMPTY. */
    private long[] keys;
    /** [capacity] packed {@code rank << 32 | mergedId}. */
    private long[] values;
    private int size;

    public MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, EMPTY);
    }

    public void put(int left, int right, int rank, int mergedId) {
        if (size * 2 >= keys.length) {
            grow();
        }
        insert(pack(left, right), ((long) rank << 32) | (mergedId & 0xFFFFFFFFL));
    }

    /** The packed {@code rank << 32 | mergedId} for the pair, or -1 if the pair does not merge. */
    public long get(int left, int right) {
        long key = pack(left, right);
        int mask = keys.length - 1;
        for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
            long k = keys[slot];
            if (k == key) {
                return values[slot];
            }
            if (k == EMPTY) {
                return -1L;
            }
        }
    }

    public static int rank(long entry) {
        return (int) (entry >>> 32);
    }

    public static int mergedId(long entry) {
        return (int) entry;
    }

    private void insert(long key, long value) {
        int mask = keys.length - 1;
        for (int slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
            if (keys[slot] == EMPTY) {
                keys[slot] = key;
                values[slot] = value;
                size++;
                return;
            }
            if (keys[slot] == key) {
                values[slot] = value;
                return;
            }
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new long[oldKeys.length * 2];
        Arrays.fill(keys, EMPTY);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static long pack(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }
}
