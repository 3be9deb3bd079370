package io.tttv2.cli.tune;

import io.tttv2.api.runner.ModelRunner;
import io.tttv2.cli.bench.DecodeRounds;
import java.util.Arrays;

/**
 * Times what a configuration is tuned for: one prompt of {@code promptTokens} prefilled, then {@code decodeTokens}
 * decoded greedily, as {@code tttv2 bench} runs it. Warm-up rounds first; the figure is the median of the rounds.
 */
record StepTimer(int promptTokens, int decodeTokens, int warmup, int rounds) {

    /** Median nanoseconds of one round (prefill + decode) of {@code runner}. */
    long medianNanos(ModelRunner runner) {
        int[] prompt = DecodeRounds.spreadPrompt(promptTokens, runner.info().vocabSize());
        DecodeRounds.Timings timings = DecodeRounds.run(runner, prompt, decodeTokens, warmup, rounds, null, () -> { });
        long[] times = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            times[r] = Math.round((timings.prefillSeconds()[r] + timings.decodeSeconds()[r]) * 1e9);
        }
        Arrays.sort(times);
        return times[rounds / 2];
    }
}
