package io.tttv2.cli.bench;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.DecoderRequest;
import io.tttv2.api.runner.EncodedInput;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.cli.UserError;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code tttv2 bench} on an encoder–decoder: encoder tokens/s of one input of {@code --prompt-tokens} tokens,
 * then decoder tokens/s of {@code --decode-tokens} greedy steps against it (medians after warm-up).
 */
final class EncoderDecoderBench {

    private EncoderDecoderBench() {
    }

    static void run(EncoderDecoderRunner runner, Path dir, int inputTokens, int decodeTokens, int warmup, int rounds,
                    PrintWriter out) {
        if (inputTokens > runner.info().maxSequenceLength() || decodeTokens + 1 > runner.info().maxSequenceLength()) {
            throw new UserError("--prompt-tokens " + inputTokens + " and --decode-tokens " + decodeTokens
                    + " must stay within the model's " + runner.info().maxSequenceLength() + " tokens", 2, null);
        }
        int vocab = runner.info().vocabSize();
        int[] input = new int[inputTokens];
        for (int i = 0; i < input.length; i++) {
            input[i] = (i * 7919 + 13) % vocab;       // a fixed, spread-out input
        }
        double[] encode = new double[rounds];
        double[] decode = new double[rounds];
        int blocks = (decodeTokens + 1 + KvCacheSpec.DEFAULT_BLOCK_SIZE - 1) / KvCacheSpec.DEFAULT_BLOCK_SIZE;
        try (PagedKvCache cache = runner.allocateKvCache(blocks, KvCacheSpec.DEFAULT_BLOCK_SIZE)) {
            Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, vocab);
            for (int r = -warmup; r < rounds; r++) {
                long t0 = System.nanoTime();
                try (EncodedInput encoded = runner.encode(input, null)) {
                    long t1 = System.nanoTime();
                    BlockTable table = cache.newSequence();
                    runner.prefill(cache, List.of(new DecoderRequest(new int[] {runner.decoderStartTokenId()}, table,
                            encoded, null)), logits);
                    int[] token = {argmax(logits, vocab)};
                    BlockTable[] tables = {table};
                    EncodedInput[] inputs = {encoded};
                    for (int i = 1; i < decodeTokens; i++) {
                        runner.decode(cache, token, tables, inputs, logits);
                        token[0] = argmax(logits, vocab);
                    }
                    long t2 = System.nanoTime();
                    table.release();
                    if (r >= 0) {
                        encode[r] = inputTokens / ((t1 - t0) / 1e9);
                        decode[r] = decodeTokens / ((t2 - t1) / 1e9);
                    }
                }
            }
        }
        out.printf("model %s (%s), %d workers%n", dir, runner.info().architecture(), Runtime.getRuntime().availableProcessors());
        out.printf("encode  %d tokens: %,.0f tokens/s (median of %d)%n", inputTokens, median(encode), rounds);
        out.printf("decode  %d tokens: %,.0f tokens/s (median of %d)%n", decodeTokens, median(decode), rounds);
        out.printf("peak RSS: %s%n", PeakMemory.describe());
    }

    private static int argmax(Tensor logits, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits.getFloat(0, i) > logits.getFloat(0, best)) {
                best = i;
            }
        }
        return best;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
