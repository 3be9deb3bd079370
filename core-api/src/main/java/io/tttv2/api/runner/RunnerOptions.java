package io.tttv2.api.runner;

/**
 * How a runner is built.
 *
 * @param maxBatch          sequences one decode step may carry
 * @param maxSequenceLength longest sequence (prompt + generated); 0 for the model's own maximum
 */
public record RunnerOptions(int maxBatch, int maxSequenceLength) {

    public static RunnerOptions defaults() {
        return new RunnerOptions(16, 0);
    }
}
