package io.tttv2.cli.bench;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.tensor.DType;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.UserError;
import io.tttv2.integration.serving.OpenAiServer;
import io.tttv2.integration.serving.ServedModel;
import io.tttv2.integration.serving.ServerOptions;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.osgi.framework.BundleContext;

/** {@code bench --concurrency}: {@link ServingBench} against a running server, or one started here on loopback. */
final class ServingBenchRun {

    /** Warm-up time before measuring (at least one round at the largest batch). */
    static final long WARMUP_NANOS = 15_000_000_000L;

    static final String PROMPT = "In the beginning God created the heaven and the earth.";

    /** Where distinct prompts take their token ids from: ordinary words, so the model sees text-like input. */
    static final String POOL_TEXT = "And the earth was without form, and void; and darkness was upon the face of the deep."
            + " And the Spirit of God moved upon the face of the waters. And God said, Let there be light: and there was light."
            + " And God saw the light, that it was good: and God divided the light from the darkness. And God called the light"
            + " Day, and the darkness he called Night. And the evening and the morning were the first day.";

    private ServingBenchRun() {
    }

    static int run(BundleContext context, Path dir, Path assembly, DType quantize, String url, String apiKey, List<Integer> levels,
                   int requestsPerClient, int maxTokens, boolean sharedPrompt, long seed, Arrivals arrivals,
                   PrintWriter out) throws Exception {
        for (int c : levels) {
            if (c <= 0 || c > 1024) {
                throw new UserError("--concurrency: expected integers in 1..1024, found " + c, 2, null);
            }
        }
        if (requestsPerClient <= 0 || requestsPerClient > 10_000) {
            throw new UserError("--requests-per-client: expected 1..10000, found " + requestsPerClient, 2, null);
        }
        String name = dir.toAbsolutePath().normalize().getFileName().toString();
        Tokenizer tokenizer = Tokenizer.load(io.tttv2.integration.hf.gguf.GgufFile.isGguf(dir) ? dir : dir.resolve("tokenizer.json"));
        BenchPrompts prompts = prompts(tokenizer, sharedPrompt, seed);
        if (url != null) {
            out.println(prompts.describe() + (sharedPrompt ? "" : ", token ids from " + name + "'s tokenizer"));
            ServingBench bench = new ServingBench(url.replaceAll("/+$", ""), apiKey, name, prompts, PROMPT, maxTokens, arrivals);
            out.println(bench.describeArrivals());
            bench(bench, levels, requestsPerClient, out);
            return 0;
        }
        int maxBatch = Collections.max(levels);
        ModelCatalog catalog = new ModelCatalog(context);
        try (ModelRunner runner = ModelCatalog.decoderOnly(
                catalog.load(dir, new RunnerOptions(maxBatch, ModelCatalog.MAX_SEQUENCE_LENGTH, catalog.assembly(assembly), quantize)),
                dir, "bench --concurrency")) {
            int perSequence = Math.min(runner.info().maxSequenceLength(), maxTokens + 64);
            int blocks = maxBatch * ((perSequence + KvCacheSpec.DEFAULT_BLOCK_SIZE - 1) / KvCacheSpec.DEFAULT_BLOCK_SIZE + 1);
            ServerOptions options = new ServerOptions("127.0.0.1", 0, maxBatch, maxBatch, blocks, KvCacheSpec.DEFAULT_BLOCK_SIZE,
                    512, 1 << 20, null, Duration.ofSeconds(10));
            try (OpenAiServer server = OpenAiServer.start(new ServedModel(name, runner, tokenizer, null, Set.of()), options)) {
                out.println("in-process server on 127.0.0.1:" + server.port() + ", " + name + ", max batch " + maxBatch
                        + ", " + maxTokens + " tokens per request, matmul precision "
                        + io.tttv2.cli.MatmulPrecisionOption.effective());
                out.println(prompts.describe());
                ServingBench bench = new ServingBench("http://127.0.0.1:" + server.port(), null, name, prompts, PROMPT, maxTokens,
                        arrivals);
                out.println(bench.describeArrivals());
                warmUp(bench, maxBatch, out);
                bench(bench, levels, requestsPerClient, out);
            }
        }
        return 0;
    }

    /** {@code bench --concurrency … --profile}: {@link BatchedStepBench}, the model's B-row step without the server. */
    static int profile(BundleContext context, Path dir, Path assembly, DType quantize, List<Integer> levels, int decodeTokens,
                       boolean sharedPrompt, long seed, int warmup, int rounds, PrintWriter out) {
        for (int c : levels) {
            if (c <= 0 || c > 1024) {
                throw new UserError("--concurrency: expected integers in 1..1024, found " + c, 2, null);
            }
        }
        Tokenizer tokenizer = Tokenizer.load(io.tttv2.integration.hf.gguf.GgufFile.isGguf(dir) ? dir : dir.resolve("tokenizer.json"));
        BenchPrompts prompts = prompts(tokenizer, sharedPrompt, seed);
        ModelCatalog catalog = new ModelCatalog(context);
        RunnerOptions options = new RunnerOptions(Collections.max(levels), ModelCatalog.MAX_SEQUENCE_LENGTH,
                catalog.assembly(assembly), quantize);
        out.println(prompts.describe());
        BatchedStepBench.run(context, catalog, dir, options, levels, prompts, decodeTokens, warmup, rounds, out);
        return 0;
    }

    /**
     * The shared prompt is {@link #PROMPT}; distinct ones have as many tokens as the server makes of it (special
     * tokens included, as for a text prompt), drawn from the ids of {@link #POOL_TEXT}.
     */
    static BenchPrompts prompts(Tokenizer tokenizer, boolean shared, long seed) {
        int[] prompt = tokenizer.encode(PROMPT, true).ids();
        return shared ? BenchPrompts.shared(prompt)
                : BenchPrompts.distinct(tokenizer.encode(POOL_TEXT, false).ids(), prompt.length, seed);
    }

    /**
     * Warm-up for the JIT: a round at one sequence, then rounds at the largest batch for at least
     * {@link #WARMUP_NANOS}. A fixed two rounds were not enough: the mixed step (a new prompt beside running decodes)
     * runs once per request, so it was still being compiled in the measured rounds — on kjv-tiny, on a loaded
     * machine, it took 360 ms in the first fifty requests at 8 and 9 ms after two hundred, and time to first token
     * at 8 measured mostly that.
     */
    private static void warmUp(ServingBench bench, int maxBatch, PrintWriter out) throws Exception {
        PrintWriter discard = new PrintWriter(java.io.Writer.nullWriter());
        long start = System.nanoTime();
        bench.run(1, 2, discard);
        int requests = 2;
        do {
            bench.run(maxBatch, 2, discard);
            requests += 2 * maxBatch;
        } while (System.nanoTime() - start < WARMUP_NANOS);
        out.printf(java.util.Locale.ROOT, "warm-up: %d requests in %.1f s%n", requests, (System.nanoTime() - start) / 1e9);
        out.flush();
    }

    private static void bench(ServingBench bench, List<Integer> levels, int requestsPerClient, PrintWriter out) throws Exception {
        for (int c : levels) {
            bench.run(c, requestsPerClient, out);
        }
    }
}
