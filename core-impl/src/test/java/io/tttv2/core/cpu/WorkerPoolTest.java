package io.tttv2.core.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void everyIndexRunsExactlyOnceInChunksOfTheGranule() {
        try (WorkerPool pool = new WorkerPool(3, "test-pool")) {
            for (int n : new int[] {1, 2, 5, 17, 100, 1000, 100_003}) {
                for (int granule : new int[] {1, 4, 7}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(n);
                    int size = n;
                    pool.parallelFor(n, granule, (from, to) -> {
                        assertTrue(from % granule == 0 && (to == size || (to - from) % granule == 0),
                                "chunk [" + from + ", " + to + ") of granule " + granule);
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < n; i++) {
                        assertEquals(1, hits.get(i), "index " + i + " of " + n);
                    }
                }
            }
        }
    }

    @Test
    void shrinkingChunksCoverEveryIndexOnceAndShrinkToTheGranule() {
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            for (int n : new int[] {2, 5, 17, 100, 2048, 8192, 100_003}) {
                for (int granule : new int[] {1, 4, 32}) {
                    for (int split : new int[] {1, 4}) {
                        AtomicIntegerArray hits = new AtomicIntegerArray(n);
                        List<int[]> chunks = Collections.synchronizedList(new ArrayList<>());
                        int size = n;
                        pool.parallelForShrinking(n, granule, split, (from, to) -> {
                            assertTrue(from % granule == 0 && (to == size || (to - from) % granule == 0),
                                    "chunk [" + from + ", " + to + ") of granule " + granule);
                            chunks.add(new int[] {from, to});
                            for (int i = from; i < to; i++) {
                                hits.incrementAndGet(i);
                            }
                        });
                        for (int i = 0; i < n; i++) {
                            assertEquals(1, hits.get(i), "index " + i + " of " + n);
                        }
                        if (n <= granule) {
                            continue;
                        }
                        chunks.sort(Comparator.comparingInt(c -> c[0]));
                        String where = n + " by " + granule + ", split " + split;
                        // the first chunk is 1/(2 · split) of the loop, rounded up to the granule
                        int units = (n + granule - 1) / granule;
                        assertEquals(Math.min(n, (units + 2 * split - 1) / (2 * split) * granule), chunks.get(0)[1], where);
                        for (int c = 1; c < chunks.size(); c++) {
                            int before = chunks.get(c - 1)[1] - chunks.get(c - 1)[0];
                            int now = chunks.get(c)[1] - chunks.get(c)[0];
                            assertTrue(now <= before, where + ": chunk " + c + " of " + now + " after one of " + before);
                        }
                        int[] last = chunks.get(chunks.size() - 1);
                        // at most 2¹⁶ - 1 chunks: past that many granules the smallest chunk holds several
                        int smallest = granule * ((units + 0xFFFE) / 0xFFFF);
                        assertTrue(last[1] - last[0] <= smallest, where + ": the last chunk is " + (last[1] - last[0]));
                    }
                }
            }
        }
    }

    @Test
    void manyShortLoopsInARowAllComplete() {
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            AtomicInteger total = new AtomicInteger();
            for (int loop = 0; loop < 20_000; loop++) {
                pool.parallelFor(64, 1, (from, to) -> total.addAndGet(to - from));
            }
            assertEquals(20_000 * 64, total.get());
        }
    }

    @Test
    void theFirstExceptionOfAChunkIsRethrownAndThePoolStaysUsable() {
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.parallelFor(100, 1, (from, to) -> {
                if (from <= 50 && 50 < to) {
                    throw new IllegalStateException("chunk with 50");
                }
            }));
            assertEquals("chunk with 50", e.getMessage());
            AtomicInteger total = new AtomicInteger();
            pool.parallelFor(100, 1, (from, to) -> total.addAndGet(to - from));
            assertEquals(100, total.get());
        }
    }

    @Test
    void nestedLoopsRunInlineInsteadOfDeadlocking() {
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            AtomicInteger total = new AtomicInteger();
            pool.parallelFor(8, 1, (from, to) -> {
                for (int i = from; i < to; i++) {
                    pool.parallelFor(10, 1, (a, b) -> total.addAndGet(b - a));
                }
            });
            assertEquals(80, total.get());
        }
    }

    @Test
    void concurrentCallersAreSerialisedAndAllComplete() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            AtomicInteger total = new AtomicInteger();
            Thread[] callers = new Thread[3];
            for (int c = 0; c < callers.length; c++) {
                callers[c] = new Thread(() -> {
                    for (int loop = 0; loop < 2000; loop++) {
                        pool.parallelFor(50, 1, (from, to) -> total.addAndGet(to - from));
                    }
                });
                callers[c].start();
            }
            for (Thread t : callers) {
                t.join();
            }
            assertEquals(3 * 2000 * 50, total.get());
        }
    }

    @Test
    void loopsAfterTheWorkersParkedStillComplete() throws InterruptedException {
        try (WorkerPool pool = new WorkerPool(2, "test-pool")) {
            for (int round = 0; round < 5; round++) {
                Thread.sleep(3);   // far longer than the spin: the worker parks and must be woken
                AtomicInteger total = new AtomicInteger();
                pool.parallelFor(400, 1, (from, to) -> total.addAndGet(to - from));
                assertEquals(400, total.get());
            }
        }
    }
}
