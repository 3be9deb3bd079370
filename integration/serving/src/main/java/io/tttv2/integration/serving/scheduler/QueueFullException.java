package io.tttv2.integration.serving.scheduler;

/** {@link Scheduler#submit} refused a request: the queue of waiting requests is at its bound, or the scheduler stopped. */
public final class QueueFullException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean stopping;

    public QueueFullException(String message, boolean stopping) {
        super(message);
        this.stopping = stopping;
    }

    /** True if the scheduler refused because it is shutting down, not because its queue is full. */
    public boolean stopping() {
        return stopping;
    }
}
