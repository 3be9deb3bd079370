package io.tttv2.core.cpu;

import static io.tttv2.core.cpu.TestTensors.device;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheFullException;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.DType;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class PagedKvCacheTest {

    private static PagedKvCache cache(int blocks) {
        return device(1).allocateKvCache(KvCacheSpec.forHeads(3, 2, 16, 8, blocks, DType.BF16));
    }

    @Test
    void layersHaveTheDocumentedShape() {
        try (PagedKvCache c = cache(5)) {
            assertArrayEquals(new int[] {5, 8, 2, 16}, c.keys(2).shape());
            assertArrayEquals(new int[] {5, 8, 2, 16}, c.values(0).shape());
            assertEquals(DType.BF16, c.keys(0).dtype());
            assertThrows(IndexOutOfBoundsException.class, () -> c.keys(3));
        }
    }

    @Test
    void reserveTakesWholeBlocksAndLengthFollowsTheRoom() {
        try (PagedKvCache c = cache(10)) {
            BlockTable t = c.newSequence();
            t.reserve(1);
            assertEquals(1, t.blockCount());
            t.reserve(8);
            assertEquals(1, t.blockCount());
            t.reserve(9);
            assertEquals(2, t.blockCount());
            assertEquals(8, c.freeBlocks());
            t.setLength(16);
            assertEquals(16, t.length());
            assertThrows(IllegalArgumentException.class, () -> t.setLength(17));
        }
    }

    @Test
    void exhaustionThrowsAClearMessageAndTakesNothing() {
        try (PagedKvCache c = cache(4)) {
            BlockTable a = c.newSequence();
            a.reserve(24);   // 3 blocks
            BlockTable b = c.newSequence();
            KvCacheFullException e = assertThrows(KvCacheFullException.class, () -> b.reserve(17));
            assertTrue(e.getMessage().contains("needs 3 more blocks") && e.getMessage().contains("1 of 4 are free"),
                    e.getMessage());
            assertEquals(0, b.blockCount());
            assertEquals(1, c.freeBlocks());
        }
    }

    @Test
    void releasedBlocksAreReused() {
        try (PagedKvCache c = cache(4)) {
            BlockTable a = c.newSequence();
            a.reserve(32);
            Set<Integer> held = new HashSet<>();
            for (int blk : a.blocks()) {
                held.add(blk);
            }
            assertEquals(Set.of(0, 1, 2, 3), held);
            assertEquals(0, c.freeBlocks());
            a.release();
            assertEquals(4, c.freeBlocks());
            assertEquals(0, a.blockCount());
            assertEquals(0, a.length());
            BlockTable b = c.newSequence();
            b.reserve(32);
            Set<Integer> again = new HashSet<>();
            for (int blk : b.blocks()) {
                again.add(blk);
            }
            assertEquals(held, again);
        }
    }

    @Test
    void concurrentReservationsNeverShareABlock() throws InterruptedException {
        try (PagedKvCache c = cache(400)) {
            ConcurrentLinkedQueue<Integer> taken = new ConcurrentLinkedQueue<>();
            Thread[] threads = new Thread[4];
            for (int i = 0; i < threads.length; i++) {
                threads[i] = new Thread(() -> {
                    for (int s = 0; s < 20; s++) {
                        BlockTable t = c.newSequence();
                        for (int tokens = 8; tokens <= 40; tokens += 8) {
                            t.reserve(tokens);
                        }
                        for (int blk : t.blocks()) {
                            taken.add(blk);
                        }
                    }
                });
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(400, taken.size());
            assertEquals(400, new HashSet<>(taken).size());
            assertEquals(0, c.freeBlocks());
        }
    }

    /**
     * A fork shares the blocks of its prefix (counted per holder: the pool gets a block back only when its last holder
     * releases it); writing into the shared partial last block copies it first, so neither sequence sees the other's
     * later tokens, and the copy keeps the shared positions' keys and values.
     */
    @Test
    void aForkSharesItsPrefixBlocksAndCopiesTheSharedPartialBlockOnWrite() {
        try (PagedKvCache c = cache(10)) {
            assertTrue(c.sharesBlocks());
            BlockTable a = c.newSequence();
            a.reserve(12);                                   // 2 blocks of 8
            for (int p = 0; p < 12; p++) {
                mark(c, a, p, p + 1);
            }
            a.setLength(12);
            assertEquals(8, c.freeBlocks());

            BlockTable b = a.fork(11);                       // positions 0..10: block 0 whole, block 1 partly
            assertEquals(11, b.length());
            assertArrayEquals(a.blocks(), b.blocks());
            assertEquals(8, c.freeBlocks(), "a fork takes no blocks");

            b.reserve(13);                                   // b writes position 11 into the shared block 1: copied
            assertEquals(a.block(0), b.block(0), "the full block stays shared");
            assertTrue(a.block(1) != b.block(1), "the partial block was copied");
            assertEquals(7, c.freeBlocks());
            for (int p = 0; p < 11; p++) {
                assertEquals(p + 1, read(c, b, p), 0f, "shared position " + p + " in b");
            }
            mark(c, b, 11, 100);
            assertEquals(12, read(c, a, 11), 0f, "a's own token 11 is untouched by b's write");
            assertEquals(100, read(c, b, 11), 0f);

            a.release();                                     // block 0 is still b's
            assertEquals(8, c.freeBlocks());
            assertEquals(1, read(c, b, 0), 0f);
            b.release();
            assertEquals(10, c.freeBlocks());
            assertThrows(IllegalArgumentException.class, () -> c.newSequence().fork(1), "only written positions fork");
        }
    }

    /** Writes {@code value} into every key element of position p, layer 1. */
    private static void mark(PagedKvCache c, BlockTable t, int p, float value) {
        var keys = c.keys(1);                                // [blocks, blockSize, kvHeads, dim]
        for (int h = 0; h < keys.dim(2); h++) {
            for (int i = 0; i < keys.dim(3); i++) {
                keys.setFloat(value, t.block(p / 8), p % 8, h, i);
            }
        }
    }

    private static float read(PagedKvCache c, BlockTable t, int p) {
        return c.keys(1).getFloat(t.block(p / 8), p % 8, 1, 15);
    }
}
