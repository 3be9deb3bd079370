package io.tttv2.tests;

import io.tttv2.api.runner.ModelRunner;
import java.util.Arrays;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One of the concurrent generation loops of the hot-swap tests: its own runner generates the same prompts
 * greedily, over and over, until stopped, and records anything wrong — an output differing from the
 * expected one, a step that ran attention from two candidates, an exception — instead of throwing.
 */
public final class GenerationLoop implements Runnable {

    private final String name;
    private final ModelRunner runner;
    private final int[][] prompts;
    private final int[][] expected;
    private final AtomicBoolean stop;
    private final Queue<String> failures;

    private final AtomicInteger generations = new AtomicInteger();
    private final AtomicInteger pauses = new AtomicInteger();
    private final Queue<String> pauseMessages = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> stepsByCandidate = new ConcurrentHashMap<>();

    /**
     * @param expected the tokens each prompt must generate
     * @param failures where every failure is recorded, one line each (shared by the loops)
     */
    public GenerationLoop(String name, ModelRunner runner, int[][] prompts, int[][] expected, AtomicBoolean stop,
                          Queue<String> failures) {
        this.name = name;
        this.runner = runner;
        this.prompts = prompts;
        this.expected = expected;
        this.stop = stop;
        this.failures = failures;
    }

    @Override
    public void run() {
        Greedy greedy = new Greedy(runner, pauses, message -> {
            if (pauseMessages.size() < 3) {
                pauseMessages.add(message);
            }
        }, StepCandidates::startStep, this::checkStep);
        try {
            while (!stop.get()) {
                for (int p = 0; p < prompts.length; p++) {
                    int[] out = greedy.generate(prompts[p], expected[p].length);
                    if (!Arrays.equals(out, expected[p])) {
                        failures.add(name + ": prompt " + p + " generated " + Arrays.toString(out) + ", expected "
                                + Arrays.toString(expected[p]));
                    }
                }
                generations.incrementAndGet();
            }
        } catch (Throwable e) {
            failures.add(name + ": " + e);
        } finally {
            runner.close();
        }
    }

    /** Every layer of one step ran the same candidate's attention: rebinding happens between steps only. */
    private void checkStep() {
        Set<String> used = StepCandidates.step();
        if (used.size() != 1) {
            failures.add(name + ": one step ran attention of " + used);
            return;
        }
        stepsByCandidate.computeIfAbsent(used.iterator().next(), k -> new AtomicInteger()).incrementAndGet();
    }

    public String name() {
        return name;
    }

    /** Rounds over every prompt completed. */
    public int generations() {
        return generations.get();
    }

    /** Steps refused while paused. */
    public int pauses() {
        return pauses.get();
    }

    public Queue<String> pauseMessages() {
        return pauseMessages;
    }

    /** Steps run with {@code candidate}'s attention ("name version"). */
    public int steps(String candidate) {
        AtomicInteger n = stepsByCandidate.get(candidate);
        return n == null ? 0 : n.get();
    }

    /** Every candidate this loop's steps ran. */
    public Set<String> candidates() {
        return Set.copyOf(stepsByCandidate.keySet());
    }
}
