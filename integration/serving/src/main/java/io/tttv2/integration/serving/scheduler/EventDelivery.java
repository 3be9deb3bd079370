package io.tttv2.integration.serving.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * Hands the listeners' and the observer's per-token calls from the step thread to a thread of their own. A
 * listener call formats its event and writes it to its client (the server's answers write without blocking);
 * made from the step thread, eight of them per step of eight decodes — each waking a thread then — cost it the
 * processor (measured on kjv-tiny, 2 cores: 1.2–1.9 ms of a 6.5–8.5 ms step, more than everything but the
 * model). Queued here instead, a step's events cost the step thread one wake-up, and they are delivered while the
 * next step computes. Events keep their order (one queue, one thread),
 * so a request's pieces come before its completion as before.
 *
 * <p>Until {@link #start()} (a test driving {@link Scheduler#step()} itself) events run at once, on the caller's
 * thread.
 */
final class EventDelivery {

    private final ConcurrentLinkedQueue<List<Runnable>> queue = new ConcurrentLinkedQueue<>();
    private List<Runnable> step = new ArrayList<>();        // the step thread's events since the last endStep
    private volatile Thread thread;
    private volatile boolean closed;

    /** Starts the delivery thread: events posted from now on wait for {@link #endStep()}. */
    synchronized void start(String name) {
        if (thread == null) {
            thread = Thread.ofPlatform().name(name).daemon(true).start(this::loop);
        }
    }

    /** Runs {@code event} now if no delivery thread runs, else queues it for the step's end (step thread only). */
    void post(Runnable event) {
        if (thread == null) {
            event.run();
        } else {
            step.add(event);
        }
    }

    /** Hands the events posted since the last call to the delivery thread (step thread only). */
    void endStep() {
        Thread t = thread;
        if (t == null || step.isEmpty()) {
            return;
        }
        queue.add(step);
        step = new ArrayList<>();
        LockSupport.unpark(t);
    }

    private void loop() {
        while (true) {
            List<Runnable> events = queue.poll();
            if (events != null) {
                for (Runnable e : events) {
                    try {
                        e.run();
                    } catch (RuntimeException ignored) {
                        // one listener's failure must not stop the others' output; the listener reports its own faults
                    }
                }
            } else if (closed) {
                return;
            } else {
                LockSupport.park(this);
            }
        }
    }

    /** Delivers what is queued, then stops the thread (after the step thread has ended and called {@link #endStep()}). */
    void close() throws InterruptedException {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
            t.join();
        }
    }
}
