package io.tttv2.integration.serving.scheduler;

/**
 * What a scheduler reports as it runs, for metrics. Called on the step thread, except {@link #token}, which comes
 * with the listeners' calls (on the event delivery thread once the scheduler runs its own step thread); must
 * return at once and be safe to call from those two threads.
 */
public interface SchedulerObserver {

    SchedulerObserver NONE = new SchedulerObserver() { };

    /** Prompt tokens fed through the model (chunks; a recomputed prompt counts again). */
    default void prefilled(int tokens) {
    }

    /** A token was sampled for a request; {@code sinceLastNanos} is from submission for the first one. */
    default void token(boolean first, long sinceLastNanos) {
    }

    /** A running sequence was preempted (its blocks freed, to be recomputed). */
    default void preempted() {
    }

    /** A step fed nothing: the runner is paused until a candidate its assembly needs returns. */
    default void paused() {
    }

    /** After each step: queue length, running sequences, blocks used and free. */
    default void stepEnded(int waiting, int running, int blocksUsed, int blocksFree) {
    }
}
