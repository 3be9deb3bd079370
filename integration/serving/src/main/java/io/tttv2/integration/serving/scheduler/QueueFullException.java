package io.tttv2.integration.serving.scheduler;

/** {@link Scheduler#submit} refused a request: the queue of waiting requests is at its bound, or the scheduler stopped. */
public final class QueueFullException extends Exception {
    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(message);
    }
}
