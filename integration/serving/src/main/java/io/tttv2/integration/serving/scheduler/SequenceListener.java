package io.tttv2.integration.serving.scheduler;

/**
 * Receives one request's output, in order, on one scheduler thread at a time: the step thread when a caller
 * drives {@link Scheduler#step()}, else the scheduler's event delivery thread, which serves every request — an
 * implementation must return at once: hand the event on, or start a non-blocking write; never block.
 */
public interface SequenceListener {

    /**
     * A token was sampled for this request (before the text it makes, including an EOS token that ends it), for a
     * caller that wants the generated ids as well as the text. Does nothing unless overridden.
     */
    default void token(int id) {
    }

    /** A piece of generated text that is final (no half character, no possible stop-string beginning). */
    void text(String piece);

    /** The request ended; exactly one of {@code finished} or {@link #failed} is called, once. */
    void finished(Completion completion);

    /** The model failed while running this request; the message is one line. */
    void failed(String message);
}
