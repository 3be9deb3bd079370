package io.tttv2.api.runner;

import io.tttv2.api.assembly.Assembly;

/**
 * How a runner is built.
 *
 * @param maxBatch          sequences one decode step may carry
 * @param maxSequenceLength longest sequence (prompt + generated); 0 for the model's own maximum
 * @param assembly          requirements laid over the model's own assembly, kind by kind (e.g. from
 *                          {@code --assembly FILE}); null for the model's own
 */
public record RunnerOptions(int maxBatch, int maxSequenceLength, Assembly assembly) {

    /** Options with the model's own assembly. */
    public RunnerOptions(int maxBatch, int maxSequenceLength) {
        this(maxBatch, maxSequenceLength, null);
    }

    public static RunnerOptions defaults() {
        return new RunnerOptions(16, 0);
    }

    /** These options with {@code assembly} laid over the model's own. */
    public RunnerOptions withAssembly(Assembly assembly) {
        return new RunnerOptions(maxBatch, maxSequenceLength, assembly);
    }
}
