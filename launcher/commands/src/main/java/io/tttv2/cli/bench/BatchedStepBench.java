package io.tttv2.cli.bench;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.runner.StepRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.report.ProfileService;
import io.tttv2.testing.profile.MachinePeak;
import io.tttv2.testing.profile.PeakBenchmark;
import io.tttv2.testing.profile.ProfileRegistry;
import io.tttv2.testing.profile.ProfileTable;
import io.tttv2.testing.profile.ProfiledRun;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.osgi.framework.BundleContext;

/**
 * {@code bench --concurrency N,… --profile}: the model's batched step alone, without server or scheduler. At each
 * concurrency B, B distinct prompts are prefilled in one step, then B greedy sequences decode together, one
 * {@link ModelRunner#step} of B rows per token, as the scheduler runs them. The model is loaded twice, once
 * undecorated and once with every module profiled, and their rounds alternate (both see the same load); the
 * undecorated rounds give the median step and tokens/s per B, the profiled ones the per-module table of a B-row step.
 */
final class BatchedStepBench {

    private BatchedStepBench() {
    }

    static void run(BundleContext context, ModelCatalog catalog, Path dir, RunnerOptions options, List<Integer> levels,
                    BenchPrompts prompts, int decodeTokens, int warmup, int rounds, PrintWriter out) {
        ProfileRegistry registry = ProfileService.require(context);
        int workers = Runtime.getRuntime().availableProcessors();
        MachinePeak peak = PeakBenchmark.measure(workers);
        registry.disable();
        registry.clear();
        double oneStream = 0;
        try (Runner plainLoaded = catalog.load(dir, options)) {
            ModelRunner plain = ModelCatalog.decoderOnly(plainLoaded, dir, "bench --concurrency --profile");
            registry.enable();              // modules built from now on are profiled; the plain model's are not
            try (Runner profiledLoaded = catalog.load(dir, options)) {
                ModelRunner profiled = ModelCatalog.decoderOnly(profiledLoaded, dir, "bench --concurrency --profile");
                out.printf(Locale.ROOT, "the model's batched step alone (no server): B sequences decode %d tokens together, one"
                        + " step of B rows per token; %d warm-up and %d measured rounds of each model, alternating%n",
                        decodeTokens, warmup, rounds);
                for (int b : levels) {
                    for (int r = 0; r < warmup; r++) {
                        round(plain, prompts.next(b), decodeTokens);
                        round(profiled, prompts.next(b), decodeTokens);
                    }
                    registry.clear();
                    List<long[]> steps = new ArrayList<>();
                    for (int r = 0; r < rounds; r++) {
                        steps.add(round(plain, prompts.next(b), decodeTokens));
                        round(profiled, prompts.next(b), decodeTokens);
                    }
                    long[] all = steps.stream().flatMapToLong(Arrays::stream).sorted().toArray();
                    double median = all[(all.length - 1) / 2] / 1e6;
                    double tokensPerSecond = b / (median / 1e3);
                    if (b == 1) {
                        oneStream = tokensPerSecond;
                    }
                    out.printf(Locale.ROOT, "%nbatch %3d: step median %.3f ms (p10 %.3f, p90 %.3f), %.1f decode tok/s%s%n", b, median,
                            ServingBench.ms(all, 10), ServingBench.ms(all, 90), tokensPerSecond,
                            oneStream > 0 && b > 1 ? String.format(Locale.ROOT, " (%.2f× one stream)", tokensPerSecond / oneStream) : "");
                    out.print(ProfileTable.render(new ProfiledRun(registry.profile(), peak)));
                    out.flush();
                }
            }
        } finally {
            registry.disable();
            registry.clear();
        }
    }

    /** B prompts prefilled in one step, then {@code decodeTokens} greedy steps of B rows; each decode step's nanoseconds. */
    private static long[] round(ModelRunner runner, List<int[]> promptList, int decodeTokens) {
        int b = promptList.size();
        int vocab = runner.info().vocabSize();
        int longest = promptList.stream().mapToInt(p -> p.length).max().orElse(0) + decodeTokens;
        int perSequence = (longest + KvCacheSpec.DEFAULT_BLOCK_SIZE - 1) / KvCacheSpec.DEFAULT_BLOCK_SIZE;
        long[] nanos = new long[decodeTokens];
        try (PagedKvCache cache = runner.allocateKvCache(b * perSequence, KvCacheSpec.DEFAULT_BLOCK_SIZE)) {
            Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, b, vocab);      // [B, vocab]
            BlockTable[] tables = new BlockTable[b];
            List<StepRequest> requests = new ArrayList<>();
            for (int i = 0; i < b; i++) {
                tables[i] = cache.newSequence();
                requests.add(new StepRequest(promptList.get(i), tables[i], true));
            }
            runner.step(cache, requests, logits);
            for (int t = 0; t < decodeTokens; t++) {
                requests.clear();
                for (int i = 0; i < b; i++) {
                    requests.add(new StepRequest(new int[] {argmax(logits, i, vocab)}, tables[i], true));
                }
                long t0 = System.nanoTime();
                runner.step(cache, requests, logits);
                nanos[t] = System.nanoTime() - t0;
            }
        }
        return nanos;
    }

    private static int argmax(Tensor logits, int row, int vocab) {
        int best = 0;
        float bestValue = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float v = logits.getFloat(row, i);
            if (v > bestValue) {
                bestValue = v;
                best = i;
            }
        }
        return best;
    }
}
