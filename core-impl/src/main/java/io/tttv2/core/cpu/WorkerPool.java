package io.tttv2.core.cpu;

import java.util.Arrays;
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
 * <p>Two ways to cut a loop into chunks: {@link #parallelFor} cuts equal chunks; {@link #parallelForShrinking}
 * cuts chunks that shrink as the loop goes, so that, with every thread running, the threads finish within a small
 * chunk of each other. On a machine shared with other processes it did not pay: a worker that takes part in the
 * small last chunks and is then descheduled keeps the caller waiting (docs/kernels.md, "BF16 decode").
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
    /**
     * How long an idle worker spins before parking: longer than the gap between two ops of a step. The system property
     * {@code tttv2.pool.spinMicros} overrides it, for A/B runs.
     */
    static final long SPIN_NANOS = Long.getLong("tttv2.pool.spinMicros", 50) * 1000;

    private final int parallelism;
    private final long spinNanos;
    private final Worker[] workers;
    private final ReentrantLock entry = new ReentrantLock();

    /*
     * The loop in progress. Its fields are written by the caller before it publishes the loop in `claims`
     * and stay unchanged until every chunk has completed, so a thread that has claimed a chunk reads them
     * safely. `claims` packs [generation:32 | chunks:16 | next chunk:16]: a claim is a CAS on it, which
     * cannot succeed for a stale generation.
     */
    private RangeBody body;
    /** [chunks + 1]: chunk c is [bounds[c], bounds[c + 1]); grown, never shrunk. */
    private int[] bounds = new int[CHUNKS_PER_THREAD * 4 + 1];
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private int generation;
    private volatile boolean closed;

    /**
     * Diagnostic for benchmarks ({@code -Dtttv2.pool.trace=true}, off otherwise and then compiled away): loops run,
     * their wall time, and the time the caller waited after its last chunk for the workers' (the imbalance).
     */
    static final boolean TRACE = Boolean.getBoolean("tttv2.pool.trace");
    long tracedLoops;
    long tracedNanos;
    long tracedWaitNanos;

    /** A pool running loops on {@code parallelism} threads: the caller plus {@code parallelism - 1} workers. */
    public WorkerPool(int parallelism, String namePrefix) {
        this(parallelism, namePrefix, SPIN_NANOS);
    }

    /** A pool whose idle workers spin {@code spinNanos} before parking (benchmarks compare spins). */
    WorkerPool(int parallelism, String namePrefix, long spinNanos) {
        this.spinNanos = spinNanos;
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
        run(n, granule, 0, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks that shrink as the loop goes: each chunk is
     * {@code 1/(parallelism · split)} of what is left, rounded up to a multiple of {@code granule} (the smallest
     * chunk, but the last), so the first are about {@code n / (parallelism · split)} and the last one granule.
     * Chunks are claimed in order, so the threads finish within about one granule of each other. Returns when all
     * are done; rethrows the first exception a chunk threw.
     */
    public void parallelForShrinking(int n, int granule, int split, RangeBody body) {
        if (split < 1) {
            throw new IllegalArgumentException("worker pool: split must be ≥ 1, found " + split);
        }
        run(n, granule, split, body);
    }

    /** split 0: equal chunks ({@link #parallelFor}); else shrinking ones ({@link #parallelForShrinking}). */
    private void run(int n, int granule, int split, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (granule < 1) {
            throw new IllegalArgumentException("worker pool: granule must be ≥ 1, found " + granule);
        }
        if (n <= granule || workers.length == 0 || runsInsideLoop()) {
            body.run(0, n);
            return;
        }
        entry.lock();
        try {
            runLoop(split == 0 ? equalChunks(n, granule) : shrinkingChunks(n, granule, split), body);
        } finally {
            entry.unlock();
        }
    }

    private boolean runsInsideLoop() {
        return entry.isHeldByCurrentThread()
                || (Thread.currentThread() instanceof Worker w && w.pool() == this);
    }

    /** Writes equal chunks of [0, n) into {@link #bounds}: 4 per thread, multiples of the granule; returns their count. */
    private int equalChunks(int n, int granule) {
        int size = ceilDiv(n, parallelism * CHUNKS_PER_THREAD);
        size = ceilDiv(Math.max(size, granule), granule) * granule;
        int chunks = ceilDiv(n, size);
        if (chunks > MAX_CHUNKS) {
            size = ceilDiv(n, MAX_CHUNKS);
            chunks = ceilDiv(n, size);
        }
        int[] b = boundsFor(chunks);
        for (int c = 0; c < chunks; c++) {
            b[c] = c * size;
        }
        b[chunks] = n;
        return chunks;
    }

    /**
     * Writes shrinking chunks of [0, n) into {@link #bounds}, each 1/(parallelism · split) of the rest in whole
     * granules (at least one); returns their count, about parallelism · split · ln(n / granule). Chunks grow past
     * one granule only if there would be more than {@link #MAX_CHUNKS}.
     */
    private int shrinkingChunks(int n, int granule, int split) {
        long divisor = (long) parallelism * split;
        int units = ceilDiv(n, granule);     // the last granule may be short
        int minUnits = Math.max(1, ceilDiv(units, MAX_CHUNKS));
        int chunks = 0;
        int[] b = bounds;
        for (int at = 0; at < units; chunks++) {
            if (chunks + 1 >= b.length) {
                b = boundsFor(2 * b.length);
            }
            b[chunks] = at * granule;
            at += (int) Math.min(units - at, Math.max(minUnits, (units - at + divisor - 1) / divisor));
        }
        b[chunks] = n;
        return chunks;
    }

    /** {@link #bounds} with room for {@code chunks} chunks, its first entries kept. */
    private int[] boundsFor(int chunks) {
        if (bounds.length < chunks + 1) {
            bounds = Arrays.copyOf(bounds, chunks + 1);
        }
        return bounds;
    }

    private void runLoop(int chunks, RangeBody loopBody) {
        if (closed) {
            throw new IllegalStateException("worker pool is closed");
        }
        this.body = loopBody;
        completed.set(0);
        failure.set(null);
        generation++;
        claims.set(((long) generation << 32) | ((long) chunks << 16));   // publishes the loop
        for (Worker w : workers) {
            if (w.parked) {
                LockSupport.unpark(w);
            }
        }
        long t0 = TRACE ? System.nanoTime() : 0;
        runChunks(generation);
        long t1 = TRACE ? System.nanoTime() : 0;
        awaitCompletion(chunks);
        if (TRACE) {
            long t2 = System.nanoTime();
            tracedLoops++;
            tracedNanos += t2 - t0;
            tracedWaitNanos += t2 - t1;
        }
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
            int from = bounds[chunk];
            int to = bounds[chunk + 1];
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
                if ((++spins & 0xFF) != 0 || System.nanoTime() - spinStart < spinNanos) {
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
