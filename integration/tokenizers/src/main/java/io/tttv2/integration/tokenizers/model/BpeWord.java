package io.tttv2.integration.tokenizers.model;

import java.util.Arrays;

/**
 * One word being merged (HF {@code Word::merge_all}): a doubly linked list of symbols over arrays, and a min-heap
 * of candidate merges ordered by (rank, position). Stale heap entries — whose pair has changed since they were
 * pushed — are recognised by looking the pair up again, and skipped.
 */
final class BpeWord {
    /** [n] symbol id at each position (a merged symbol keeps the position of its left part). */
    private final int[] ids;
    /** [n] previous live position, or -1. */
    private final int[] prev;
    /** [n] next live position, or -1. */
    private final int[] next;
    /** [n] false once the symbol was merged into its left neighbour. */
    private final boolean[] live;
    private final int n;

    /** Min-heap of packed {@code rank << 32 | position}: lowest rank first, then leftmost, as HF orders it. */
    private long[] heap;
    private int heapSize;

    BpeWord(int[] symbolIds, int count) {
        this.n = count;
        this.ids = Arrays.copyOf(symbolIds, count);
        this.prev = new int[count];
        this.next = new int[count];
        this.live = new boolean[count];
        for (int i = 0; i < count; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
            live[i] = true;
        }
        this.heap = new long[Math.max(4, count)];
    }

    /** Applies every merge it can, by rank, and returns the remaining symbol ids. */
    int[] mergeAll(MergeTable merges) {
        for (int i = 0; i + 1 < n; i++) {
            long m = merges.get(ids[i], ids[i + 1]);
            if (m >= 0) {
                push(MergeTable.rank(m), i);
            }
        }
        while (heapSize > 0) {
            long top = pop();
            int rank = (int) (top >>> 32);
            int pos = (int) top;
            if (!live[pos] || next[pos] < 0) {
                continue;
            }
            int right = next[pos];
            long m = merges.get(ids[pos], ids[right]);
            if (m < 0 || MergeTable.rank(m) != rank) {
                continue; // stale: the pair at pos is no longer the one this entry was pushed for
            }
            ids[pos] = MergeTable.mergedId(m);
            live[right] = false;
            next[pos] = next[right];
            if (next[pos] >= 0) {
                prev[next[pos]] = pos;
            }
            if (prev[pos] >= 0) {
                long left = merges.get(ids[prev[pos]], ids[pos]);
                if (left >= 0) {
                    push(MergeTable.rank(left), prev[pos]);
                }
            }
            if (next[pos] >= 0) {
                long after = merges.get(ids[pos], ids[next[pos]]);
                if (after >= 0) {
                    push(MergeTable.rank(after), pos);
                }
            }
        }
        int[] out = new int[n];
        int count = 0;
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            out[count++] = ids[i];
        }
        return Arrays.copyOf(out, count);
    }

    private void push(int rank, int pos) {
        if (heapSize == heap.length) {
            heap = Arrays.copyOf(heap, heapSize * 2);
        }
        long entry = ((long) rank << 32) | pos;
        int i = heapSize++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= entry) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = entry;
    }

    private long pop() {
        long top = heap[0];
        long last = heap[--heapSize];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && heap[child + 1] < heap[child]) {
                child++;
            }
            if (heap[child] >= last) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = last;
        return top;
    }
}
