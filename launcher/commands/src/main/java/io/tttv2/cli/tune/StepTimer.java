package io.tttv2.cli.tune;

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
 * Times what a configuration is tuned for: one prompt of {@code promptTokens} prefilled, then {@code decodeTokens}
 * decoded greedily, as {@code tttv2 bench} runs it. Warm-up rounds first; the figure is the median of the rounds.
 */
record StepTimer(int promptTokens, int decodeTokens, int warmup, int rounds) {

    /** Median nanoseconds of one round (prefill + decode) of {@code runner}. */
    long medianNanos(ModelRunner runner) {
        int vocab = runner.info().vocabSize();
        int[] prompt = new int[promptTokens];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = (i * 7919 + 13) % vocab;    // the bench's fixed, spread-out prompt
        }
        int length = promptTokens + decodeTokens;
        long[] times = new long[rounds];
        int blocks = (length + KvCacheSpec.DEFAULT_BLOCK_SIZE - 1) / KvCacheSpec.DEFAULT_BLOCK_SIZE;
        try (PagedKvCache cache = runner.allocateKvCache(blocks, KvCacheSpec.DEFAULT_BLOCK_SIZE)) {
            Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, vocab);
            for (int r = -warmup; r < rounds; r++) {
                BlockTable table = cache.newSequence();
                long t0 = System.nanoTime();
                runner.prefill(cache, List.of(new PrefillRequest(prompt, table, null)), logits);
                int[] token = {argmax(logits, vocab)};
                BlockTable[] tables = {table};
                for (int i = 0; i < decodeTokens; i++) {
                    runner.decode(cache, token, tables, logits);
                    token[0] = argmax(logits, vocab);
                }
                long t1 = System.nanoTime();
                table.release();
                if (r >= 0) {
                    times[r] = t1 - t0;
                }
            }
        }
        Arrays.sort(times);
        return times[rounds / 2];
    }

    private static int argmax(Tensor logits, int vocab) {
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float v = logits.getFloat(0, i);
            if (v > max) {
                max = v;
                best = i;
            }
        }
        return best;
    }
}
