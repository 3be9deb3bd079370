package io.tttv2.integration.serving.http;

import io.tttv2.integration.serving.scheduler.Completion;
import io.tttv2.integration.serving.scheduler.SequenceListener;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands one request's output from the step thread (which must never wait) to the HTTP thread answering it:
 * an unbounded queue of text pieces, then a {@link Completion} or a {@link Failure}.
 */
final class RequestEvents implements SequenceListener {

    /** The model failed for this request. */
    record Failure(String message) {
    }

    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();

    @Override
    public void text(String piece) {
        events.add(piece);
    }

    @Override
    public void finished(Completion completion) {
        events.add(completion);
    }

    @Override
    public void failed(String message) {
        events.add(new Failure(message));
    }

    /** The next event: a String piece, a Completion or a Failure; null if none came within {@code millis}. */
    Object next(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS);
    }
}
