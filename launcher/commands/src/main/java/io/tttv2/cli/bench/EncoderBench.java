package io.tttv2.cli.bench;

import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.cli.UserError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code tttv2 bench} on an encoder: texts/s of one padded batch of {@code texts} texts of {@code tokens} tokens
 * each (the median of the measured rounds after warm-up), and the process's peak resident memory.
 */
final class EncoderBench {

    private EncoderBench() {
    }

    static void run(EncoderRunner runner, Path dir, int texts, int tokens, int warmup, int rounds, PrintWriter out) {
        if (tokens > runner.info().maxSequenceLength()) {
            throw new UserError("--text-tokens " + tokens + " exceeds the model's maximum of "
                    + runner.info().maxSequenceLength(), 2, null);
        }
        int vocab = runner.info().vocabSize();
        int[][] ids = new int[texts][tokens];
        for (int b = 0; b < texts; b++) {
            for (int t = 0; t < tokens; t++) {
                ids[b][t] = (int) (((long) (b * tokens + t) * 7919 + 13) % vocab);    // fixed, spread-out tokens
            }
        }
        EncoderBatch batch = new EncoderBatch(ids, null, null);
        double[] textsPerSecond = new double[rounds];
        for (int r = -warmup; r < rounds; r++) {
            long t0 = System.nanoTime();
            runner.encode(batch, false);
            long t1 = System.nanoTime();
            if (r >= 0) {
                textsPerSecond[r] = texts / ((t1 - t0) / 1e9);
            }
        }
        double[] sorted = textsPerSecond.clone();
        Arrays.sort(sorted);
        double median = rounds % 2 == 1 ? sorted[rounds / 2] : (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2;
        out.printf("model %s (%s), %d workers%n", dir, runner.info().architecture(), Runtime.getRuntime().availableProcessors());
        out.printf("encode %d texts of %d tokens: %,.1f texts/s, %,.0f tokens/s (median of %d; min %,.1f, max %,.1f texts/s)%n",
                texts, tokens, median, median * tokens, rounds, sorted[0], sorted[rounds - 1]);
        out.printf("peak RSS: %s%n", PeakMemory.describe());
    }
}
