package io.tttv2.integration.serving.scheduler;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The prefixes finished sequences leave in the KV cache, kept for later requests to fork from (a shared system
 * prompt, or the same prompt again) instead of prefilling it anew. At most {@code capacity} tables are kept, oldest
 * dropped first; their blocks are reclaimed whenever a step needs free blocks. Step thread only.
 */
final class PrefixCache {

    /** A kept table: {@code tokens[0 .. length)} are in its blocks. */
    record Entry(int[] tokens, int length, BlockTable table) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    PrefixCache(int capacity) {
        this.capacity = capacity;
    }

    /** Keeps a finished sequence's table (or releases it when nothing is kept). */
    void retain(int[] tokens, int length, BlockTable table) {
        if (capacity == 0 || length == 0) {
            table.release();
            return;
        }
        entries.addLast(new Entry(tokens, length, table));
        while (entries.size() > capacity) {
            entries.removeFirst().table().release();
        }
    }

    Iterable<Entry> entries() {
        return entries;
    }

    /** Releases kept tables, oldest first, until the cache has {@code blocks} free blocks or none is kept. */
    void reclaim(PagedKvCache cache, int blocks) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && cache.freeBlocks() < blocks; ) {
            it.next().table().release();
            it.remove();
        }
    }

    /** Releases every kept table. */
    void clear() {
        for (Entry e : entries) {
            e.table().release();
        }
        entries.clear();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }
}
