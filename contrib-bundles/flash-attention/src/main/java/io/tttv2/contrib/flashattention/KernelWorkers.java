package io.tttv2.contrib.flashattention;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The backend's own worker threads: the caller (worker 0) plus {@code parallelism - 1} daemon platform
 * threads that run one loop of work items at a time. core-api's {@code Device} offers its parallelism but
 * no way to submit work to its workers, so the backend keeps this bounded set, sized by the device, rather
 * than using the common fork-join pool (unbounded by the device, and shared with whatever else the host runs).
 *
 * <p>Built for many short loops in a row, as a decode step is: a loop is published by one volatile write,
 * idle workers spin briefly before parking, items are claimed with one CAS each, and nothing is allocated
 * per loop. Each item is told which worker runs it, so per-worker buffers need no thread-locals.
 *
 * <p>One caller at a time: {@link FlashKernel} serialises its calls.
 */
final class KernelWorkers implements AutoCloseable {

    /** The body of a loop: item {@code item} on worker {@code worker} (0 = the caller). */
    @FunctionalInterface
    interface Items {
        void run(int worker, int item);
    }

    /** How long an idle worker spins before parking: longer than the gap between two layers of a step. */
    private static final long SPIN_NANOS = 50_000;

    private final Worker[] workers;

    /*
     * The loop in progress. `body` and `count` are written by the caller before it publishes the loop in
     * `claims`, and stay unchanged until every item has completed, so a thread that has claimed an item reads
     * them safely. `claims` packs [generation:32 | next item:32]: a claim is a CAS on it, which cannot succeed
     * for a stale generation.
     */
    private Items body;
    private int count;
    private int generation;
    private final AtomicLong claims = new AtomicLong();
    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean closed;

    /** The caller plus {@code parallelism - 1} threads named {@code namePrefix-1 ..}. */
    KernelWorkers(int parallelism, String namePrefix) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("flash attention: device parallelism must be ≥ 1, found " + parallelism);
        }
        this.workers = new Worker[parallelism - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(namePrefix + "-" + (i + 1), i + 1);
            workers[i].start();
        }
    }

    /** Threads that run one loop, the caller included; worker indices are {@code 0 .. parallelism-1}. */
    int parallelism() {
        return workers.length + 1;
    }

    /** Runs items {@code 0 .. n-1} and returns when all are done; rethrows the first exception an item threw. */
    void run(int n, Items loopBody) {
        if (closed) {
            throw new IllegalStateException("flash attention: the backend's workers are closed");
        }
        if (n <= 0) {
            return;
        }
        if (n == 1 || workers.length == 0) {
            for (int i = 0; i < n; i++) {
                loopBody.run(0, i);
            }
            return;
        }
        this.body = loopBody;
        this.count = n;
        completed.set(0);
        failure.set(null);
        generation++;
        claims.set((long) generation << 32);        // publishes the loop
        for (Worker w : workers) {
            if (w.parked) {
                LockSupport.unpark(w);
            }
        }
        runItems(0, generation);
        int spins = 0;
        while (completed.get() != n) {
            if (++spins < 1 << 14) {
                Thread.onSpinWait();
            } else {
                Thread.yield();    // a worker was descheduled mid-item: let it run
            }
        }
        this.body = null;          // drop the loop's operands (cache, tensors) until the next call
        Throwable t = failure.getAndSet(null);
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    /** Claims and runs items of loop {@code gen} on worker {@code worker} until none is left. */
    private void runItems(int worker, int gen) {
        while (true) {
            long s = claims.get();
            int item = (int) s;
            if ((int) (s >>> 32) != gen || item >= count) {
                return;
            }
            if (!claims.compareAndSet(s, s + 1)) {
                continue;
            }
            try {
                body.run(worker, item);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
            completed.incrementAndGet();
        }
    }

    /** Stops the workers (they end after their current item); loops started afterwards fail. */
    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    private final class Worker extends Thread {
        private final int index;
        volatile boolean parked;

        Worker(String name, int index) {
            super(name);
            this.index = index;
            setDaemon(true);
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
                runItems(index, gen);
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
                // Dekker-style hand-shake with run(): set `parked`, then re-check the generation.
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
