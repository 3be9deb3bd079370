package io.tttv2.cli.bench;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.List;

/**
 * Rounds of one sequence: a fixed prompt prefilled, then greedy decoding of a fixed number of tokens, the
 * warm-up rounds run first and not kept. {@link #afterWarmup} runs between warm-up and measurement (a profile
 * forgets the warm-up calls there). Shared by {@code bench} and {@code tune} (which times configurations the same way).
 */
public final class DecodeRounds {

    /**
     * Seconds per round: prefilling the prompt, and decoding every token after it; and the median of every
     * measured decode step on its own (a figure the shared machine's preemptions barely move).
     */
    public record Timings(double[] prefillSeconds, double[] decodeSeconds, long[] stepNanos) {

        double medianStepSeconds() {
            long[] sorted = stepNanos.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return (n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0) / 1e9;
        }
    }

    private DecodeRounds() {
    }

    /** A fixed, spread-out prompt of {@code tokens} ids below {@code vocab}. */
    public static int[] spreadPrompt(int tokens, int vocab) {
        int[] prompt = new int[tokens];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = (i * 7919 + 13) % vocab;
        }
        return prompt;
    }

    /**
     * @param greedy where the greedy tokens (with their top-2 margins) and the process's first token are recorded,
     *               the last round's kept; null to record nothing
     */
    public static Timings run(ModelRunner runner, int[] prompt, int decodeTokens, int warmup, int rounds, GreedyRecord greedy,
                       Runnable afterWarmup) {
        int vocab = runner.info().vocabSize();
        double[] prefill = new double[rounds];
        double[] decode = new double[rounds];
        long[] steps = new long[rounds * decodeTokens];
        int length = prompt.length + decodeTokens;
        int blocks = (length + KvCacheSpec.DEFAULT_BLOCK_SIZE - 1) / KvCacheSpec.DEFAULT_BLOCK_SIZE;
        try (PagedKvCache cache = runner.allocateKvCache(blocks, KvCacheSpec.DEFAULT_BLOCK_SIZE)) {
            Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, vocab);
            for (int r = -warmup; r < rounds; r++) {
                if (r == 0) {
                    afterWarmup.run();
                }
                BlockTable table = cache.newSequence();
                long t0 = System.nanoTime();
                runner.prefill(cache, List.of(new PrefillRequest(prompt, table, null)), logits);
                long t1 = System.nanoTime();
                int[] token = {argmax(logits, vocab)};
                // Every round records its tokens and margins over the previous round's (they are the same tokens),
                // so that the margin scan is compiled during the warm-up rather than beside the measured steps.
                boolean record = greedy != null;
                if (record) {
                    greedy.firstToken();
                    greedy.restart();
                    greedy.add(token[0], logits, vocab);
                }
                BlockTable[] tables = {table};
                // Decode time is the sum of the steps (decode and argmax), not the loop's wall time: recording each
                // step's top-2 margin scans the logits between the steps (interpreted at first: ≈ 90 µs a step on
                // kjv-tiny, a third of its step), work of the bench, not of the model.
                long decodeNanos = 0;
                for (int i = 0; i < decodeTokens; i++) {
                    long s0 = System.nanoTime();
                    runner.decode(cache, token, tables, logits);
                    token[0] = argmax(logits, vocab);
                    long step = System.nanoTime() - s0;
                    decodeNanos += step;
                    if (r >= 0) {
                        steps[r * decodeTokens + i] = step;
                    }
                    if (record) {
                        greedy.add(token[0], logits, vocab);
                    }
                }
                table.release();
                if (r >= 0) {
                    prefill[r] = (t1 - t0) / 1e9;
                    decode[r] = decodeNanos / 1e9;
                }
            }
        }
        return new Timings(prefill, decode, steps);
    }

    private static int argmax(Tensor logits, int vocab) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float v = logits.getFloat(0, i);
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }
}
