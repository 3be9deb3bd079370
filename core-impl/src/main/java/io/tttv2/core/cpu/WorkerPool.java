package io.tttv2.core.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of daemon platform threads that run one parallel loop at a time, with the calling thread
 * taking a share. Built for many short loops in a row (one op of a decode step lasts microseconds): a
 * loop is published by one volatile write, workers spin briefly between loops before parking, chunks are
 * claimed with one CAS each, and nothing is allocated per loop.
 *
 * <p>Loops from several caller threads are serialised; a loop started from inside a loop body (a worker,
 * or the caller during its own share) runs inline on that thread.
 */
public final class WorkerPool implements AutoCloseable {

    /** The body of a parallel loop: processes indices {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Chunks per thread: more than one, so a descheduled thread's share is taken over by the others. */
    private static final int CHUNKS_PER_THREAD = 4;
    private static final int MAX_CHUNKS = 0xFFFF;
    /** How long an idle worker spins before parking: longer than the gap between two ops of a step. */
    private static final long SPIN_NANOS = 50_000;

    private final int parallelism;
    private final Worker[] workers;
    private final ReentrantLock entry = new ReentrantLock();

    /*
     * The loop in progress. Its fields are written by the caller before it publishes the loop in `claims`
     * and stay unchanged until every chunk has completed, so a thread that has claimed a chunk reads them
     * safely. `claims` packs [generation:32 | chunks:16 | next chunk:16]: a claim is a CAS on it, which
     * cannot succeed for a stale generation.
     */
    private RangeBody body;
    private int count;
    private int chunkSize;
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private int generation;
    private volatile boolean closed;

    /** A pool running loops on {@code parallelism} threads: the caller plus {@code parallelism - 1} workers. */
    public WorkerPool(int parallelism, String namePrefix) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("worker pool: parallelism must be ≥ 1, found " + parallelism);
        }
        this.parallelism = parallelism;
        this.workers = new Worker[parallelism - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(namePrefix + "-" + (i + 1));
            workers[i].start();
        }
    }

    /** Threads that run one loop, the caller included. */
    public int parallelism() {
        return parallelism;
    }

    /**
     * Runs {@code body} over {@code [0, n)} split into chunks whose sizes are multiples of {@code granule}
     * (except the last), and returns when all are done. Rethrows the first exception a chunk threw.
     */
    public void parallelFor(int n, int granule, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (n <= granule || workers.length == 0 || runsInsideLoop()) {
            body.run(0, n);
            return;
        }
        entry.lock();
        try {
            runLoop(n, granule, body);
        } finally {
            entry.unlock();
        }
    }

    private boolean runsInsideLoop() {
        return entry.isHeldByCurrentThread()
                || (Thread.currentThread() instanceof Worker w && w.pool() == this);
    }

    private void runLoop(int n, int granule, RangeBody loopBody) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        int size = ceilDiv(n, parallelism * CHUNKS_PER_THREAD);
        size = ceilDiv(Math.max(size, granule), granule) * granule;
        int chunks = ceilDiv(n, size);
        if (chunks > MAX_CHUNKS) {
            size = ceilDiv(n, MAX_CHUNKS);
            chunks = ceilDiv(n, size);
        }
        this.body = loopBody;
        this.count = n;
        this.chunkSize = size;
        completed.set(0);
        failure.set(null);
        generation++;
        claims.set(((long) generation << 32) | ((long) chunks << 16));   // publishes the loop
        for (Worker w : workers) {
            if (w.parked) {
                LockSupport.unpark(w);
            }
        }
        runChunks(generation);
        awaitCompletion(chunks);
        this.body = null;
        Throwable t = failure.get();
        if (t != null) {
            failure.set(null);
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    /** Claims and runs chunks of loop {@code gen} until none is left. */
    private void runChunks(int gen) {
        while (true) {
            long s = claims.get();
            int chunk = (int) (s & 0xFFFF);
            if ((int) (s >>> 32) != gen || chunk >= (int) ((s >>> 16) & 0xFFFF)) {
                return;
            }
            if (!claims.compareAndSet(s, s + 1)) {
                continue;
            }
            int from = chunk * chunkSize;
            int to = Math.min(count, from + chunkSize);
            try {
                body.run(from, to);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            completed.incrementAndGet();
        }
    }

    private void awaitCompletion(int chunks) {
        int spins = 0;
        while (completed.get() != chunks) {
            if (++spins < 1 << 14) {
                Thread.onSpinWait();
            } else {
                Thread.yield();    // a worker was descheduled mid-chunk: let it run
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Stops the workers; loops started afterwards fail. */
    @Override
    public void close() {
        entry.lock();
        try {
            closed = true;
            generation++;
            claims.set((long) generation << 32);
        } finally {
            entry.unlock();
        }
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        WorkerPool pool() {
            return WorkerPool.this;
        }

        @Override
        public void run() {
            int seen = 0;
            while (!closed) {
                int gen = awaitLoop(seen);
                if (closed) {
                    return;
                }
                seen = gen;
                runChunks(gen);
            }
        }

        /** Spins, then parks, until a loop newer than {@code seen} is published; returns its generation. */
        private int awaitLoop(int seen) {
            long spinStart = System.nanoTime();
            int spins = 0;
            while (true) {
                int gen = (int) (claims.get() >>> 32);
                if (gen != seen || closed) {
                    return gen;
                }
                if ((++spins & 0xFF) != 0 || System.nanoTime() - spinStart < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                // Dekker-style hand-shake with runLoop: set `parked`, then re-check the generation.
                parked = true;
                if ((int) (claims.get() >>> 32) == seen && !closed) {
                    LockSupport.park(this);
                }
                parked = false;
                spinStart = System.nanoTime();
            }
        }
    }
}
