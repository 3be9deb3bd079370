package io.tttv2.cli.bench;

import io.tttv2.cli.config.ConfigOptions;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.QuantizeOption;
import io.tttv2.cli.StartTimes;
import io.tttv2.cli.UserError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code tttv2 bench}: prefill and decode throughput of one sequence (an encoder: texts/s of a padded batch,
 * {@link EncoderBench}), and the process's peak resident memory. Runs warm-up rounds first, then reports the median of the measured rounds: the machine is shared
 * and noisy, so one round says little.
 */
@Command(name = "bench",
        description = {
        "Measure prefill and decode tokens/s of one sequence, and the process's peak RSS.",
        "For an encoder model (BERT): texts/s of one batch of --texts texts of --text-tokens tokens.",
        "For an encoder-decoder (T5): encoder tokens/s of --prompt-tokens, decoder tokens/s of --decode-tokens.",
        "Each figure is the median of several rounds after warm-up. With no --model, the embedded kjv-tiny."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--model", paramLabel = "DIR", description = "HF model folder or GGUF model file (default: the embedded kjv-tiny).")
    Path model;

    @Option(names = "--prompt-tokens", paramLabel = "N", defaultValue = "128", description = "Prompt length (default: ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--decode-tokens", paramLabel = "N", defaultValue = "256", description = "Tokens decoded per round (default: ${DEFAULT-VALUE}).")
    int decodeTokens;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "10", description = "Rounds run before measuring (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--texts", paramLabel = "N", defaultValue = "32",
            description = "Encoders: texts in the batch (default: ${DEFAULT-VALUE}).")
    int texts;

    @Option(names = "--text-tokens", paramLabel = "N", defaultValue = "64",
            description = "Encoders: tokens per text (default: ${DEFAULT-VALUE}).")
    int textTokens;

    @Option(names = "--assembly", paramLabel = "FILE",
            description = "Assembly descriptor (JSON): which implementation to use per module kind, laid over the model's own.")
    Path assembly;

    @picocli.CommandLine.Mixin
    QuantizeOption quantize;

    @picocli.CommandLine.Mixin
    io.tttv2.cli.MatmulPrecisionOption matmulPrecision;

    @picocli.CommandLine.Mixin
    io.tttv2.cli.WeightCacheOption weightCache;

    @Option(names = "--concurrency", paramLabel = "N,N,...", split = ",",
            description = "Serving benchmark instead: at each concurrency, that many streaming clients send greedy completions (--decode-tokens each) to --url, or to a server started in process (after a warm-up of at least 15 s).")
    List<Integer> concurrency;

    @Option(names = "--url", paramLabel = "URL", description = "With --concurrency: a running server (e.g. http://127.0.0.1:8000); default: one started in process.")
    String url;

    @Option(names = "--requests-per-client", paramLabel = "N", defaultValue = "4", description = "With --concurrency: requests each client sends (default: ${DEFAULT-VALUE}).")
    int requestsPerClient;

    @Option(names = "--shared-prompt", description = "With --concurrency: every request sends one shared prompt (the server's prefix sharing then prefills it once); default: each request its own prompt of the same length.")
    boolean sharedPrompt;

    @Option(names = "--arrivals", paramLabel = "ramp|lockstep", defaultValue = "ramp",
            description = {"With --concurrency: ramp (default) sends client c's first request c/C of one request's duration late, so",
                    "requests keep arriving one at a time; lockstep sends all C at once, every round (default: ${DEFAULT-VALUE})."})
    String arrivals;

    @Option(names = "--prompt-seed", paramLabel = "N", defaultValue = "1", description = "With --concurrency: the seed the distinct prompts are drawn with (default: ${DEFAULT-VALUE}).")
    long promptSeed;

    @Option(names = "--api-key", paramLabel = "KEY", description = "With --url: the server's API key.")
    String apiKey;

    @Option(names = "--prompt-ids", paramLabel = "ID,ID,...", split = ",",
            description = "These token ids as the prompt (instead of --prompt-tokens spread-out ids): to run the same input as another engine.")
    int[] promptIds;

    @Option(names = "--json", description = "Print one JSON object: medians and rounds, the greedy tokens with their top-2 logit margins, process start to first token, peak RSS.")
    boolean json;

    @Option(names = "--profile", description = {
            "Also profile every module call (prefill and decode apart): per module kind its calls, share of the time,",
            "achieved GFLOP/s and GB/s and fraction of the machine's peak (FMA and read bandwidth, measured first),",
            "and the decode and prefill time composed from the per-module figures beside the measured time.",
            "With --concurrency: the model's batched step alone (no server) at each concurrency, per-module table of a B-row step."})
    boolean profile;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg",
            description = "With --profile (implied): draw the roofline, each module kind a point for prefill and decode.")
    Path plot;

    /** Rounds are arrays of figures: a bound keeps a typo (--rounds 2000000000) from sizing them. */
    static final int MAX_ROUNDS = 10_000;
    /** The batch is allocated whole: a bound keeps a typo from sizing it. */
    static final int MAX_TEXTS = 4096;

    private final BundleContext context;
    private final Supplier<Path> home;

    public BenchCommand(BundleContext context, Supplier<Path> home) {
        this.context = context;
        this.home = home;
    }

    @Override
    public Integer call() throws Exception {
        if (concurrency != null) {
            Path dir = model != null ? model : home.get().resolve("models/kjv-tiny");
            Arrivals arrivalMode;
            try {
                arrivalMode = Arrivals.parse(arrivals);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage(), 2, null);
            }
            if (plot != null) {
                throw new UserError("--plot draws one sequence's roofline; it does not go with --concurrency, found --plot " + plot,
                        2, null);
            }
            if (decodeTokens <= 0) {
                throw new UserError("--decode-tokens expected a positive value, found " + decodeTokens, 2, null);
            }
            matmulPrecision.apply(context, spec.commandLine().getErr());   // before the model loads in process
            if (profile) {
                if (url != null || warmup < 0 || rounds <= 0 || rounds > MAX_ROUNDS || warmup > MAX_ROUNDS) {
                    throw new UserError("--concurrency with --profile runs the model in process: expected no --url, --rounds 1.."
                            + MAX_ROUNDS + " and --warmup 0.." + MAX_ROUNDS + ", found " + (url != null ? "--url " + url : "--rounds "
                            + rounds + ", --warmup " + warmup), 2, null);
                }
                return ServingBenchRun.profile(context, dir, assembly, quantize.type(), concurrency, decodeTokens, sharedPrompt,
                        promptSeed, warmup, rounds, spec.commandLine().getOut());
            }
            return ServingBenchRun.run(context, dir, assembly, quantize.type(), url, apiKey, concurrency, requestsPerClient, decodeTokens,
                    sharedPrompt, promptSeed, arrivalMode, spec.commandLine().getOut());
        }
        if (promptTokens <= 0 || decodeTokens <= 0 || warmup < 0 || rounds <= 0) {
            throw new UserError("--prompt-tokens, --decode-tokens and --rounds expected positive values, --warmup "
                    + "non-negative, found " + promptTokens + ", " + decodeTokens + ", " + rounds + ", " + warmup, 2, null);
        }
        if (warmup > MAX_ROUNDS || rounds > MAX_ROUNDS) {
            throw new UserError("--warmup and --rounds expected at most " + MAX_ROUNDS + ", found " + warmup + ", "
                    + rounds, 2, null);
        }
        Path dir = model != null ? model : home.get().resolve("models/kjv-tiny");
        PrintWriter out = spec.commandLine().getOut();
        ModelCatalog catalog = new ModelCatalog(context);
        if (texts <= 0 || textTokens <= 0 || texts > MAX_TEXTS) {
            throw new UserError("--texts expected 1 .. " + MAX_TEXTS + " and --text-tokens a positive value, found "
                    + texts + ", " + textTokens, 2, null);
        }
        // one sequence decodes at a time; an encoder sizes its buffers per call, by the batch it is given
        if (plot != null && !plot.getFileName().toString().matches("(?i).+\\.(png|svg)")) {
            throw new UserError("--plot expected a .png or .svg file, found " + plot, 2, null);
        }
        matmulPrecision.apply(context, spec.commandLine().getErr());   // before the model loads
        RunnerOptions options = new RunnerOptions(1, ModelCatalog.MAX_SEQUENCE_LENGTH, catalog.assembly(assembly),
                quantize.type(), weightCache.directory());
        options = config.applied(options);   // --kv-dtype
        Integer planned = config.dryRun(context, dir, options, null, out, spec.commandLine().getErr());
        if (planned != null) {
            return planned;
        }
        StartTimes times = StartTimes.ifVerbose(context);
        long loadStart = System.nanoTime();
        Runner loaded = catalog.load(dir, options);
        long loadNanos = System.nanoTime() - loadStart;
        if (times != null) {
            times.modelLoaded();
        }
        config.dump(context, dir, loaded, options, null);
        if ((profile || plot != null) && !(loaded instanceof ModelRunner)) {
            loaded.close();
            throw new UserError("--profile and --plot profile one decoding sequence; " + dir + " is a "
                    + loaded.info().architecture() + ", not a decoder-only model", 2, null);
        }
        if (loaded instanceof EncoderRunner encoder) {
            try (encoder) {
                EncoderBench.run(encoder, dir, texts, textTokens, warmup, rounds, out);
            }
            return 0;
        }
        if (loaded instanceof EncoderDecoderRunner seq2seq) {
            try (seq2seq) {
                EncoderDecoderBench.run(seq2seq, dir, promptTokens, decodeTokens, warmup, rounds, out);
            }
            return 0;
        }
        try (ModelRunner runner = ModelCatalog.decoderOnly(loaded, dir, "bench")) {
            int length = (promptIds != null ? promptIds.length : promptTokens) + decodeTokens;
            if (length > runner.info().maxSequenceLength()) {
                throw new UserError("--prompt-tokens + --decode-tokens = " + length + " exceeds the model's context of "
                        + runner.info().maxSequenceLength(), 2, null);
            }
            int vocab = runner.info().vocabSize();
            int[] prompt = promptIds != null ? GreedyRecord.checkedIds(promptIds, vocab)
                    : DecodeRounds.spreadPrompt(promptTokens, vocab);
            promptTokens = prompt.length;
            GreedyRecord greedy = new GreedyRecord(decodeTokens + 1);
            greedy.modelLoaded();
            if (times != null) {
                greedy.onFirstToken(times::tokenStreamed);
            }
            DecodeRounds.Timings timings = DecodeRounds.run(runner, prompt, decodeTokens, warmup, rounds, greedy, () -> { });
            if (times != null) {
                spec.commandLine().getErr().println(times.line());
            }
            double[] prefill = new double[rounds];
            double[] decode = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                prefill[r] = promptTokens / timings.prefillSeconds()[r];
                decode[r] = decodeTokens / timings.decodeSeconds()[r];
            }
            if (json) {
                out.println(greedy.json(dir, runner.info().architecture(), promptTokens, decodeTokens, prefill, decode,
                        median(prefill), median(decode), PeakMemory.kib(), loadNanos / 1_000_000));
                out.flush();
                return 0;
            }
            out.printf("model %s (%s), %d workers, matmul precision %s%n", dir, runner.info().architecture(),
                    Runtime.getRuntime().availableProcessors(), io.tttv2.cli.MatmulPrecisionOption.effective());
            out.printf("prefill %d tokens: %,.0f tokens/s (median of %d; min %,.0f, max %,.0f)%n", promptTokens,
                    median(prefill), rounds, min(prefill), max(prefill));
            out.printf("decode  %d tokens: %,.0f tokens/s (median of %d; min %,.0f, max %,.0f)%n", decodeTokens,
                    median(decode), rounds, min(decode), max(decode));
            out.printf("peak RSS: %s%n", PeakMemory.describe());
        }
        if (profile || plot != null) {
            // the measured model is closed first: the profiled one is a second load of the same checkpoint
            ProfiledBench.run(context, catalog, dir, options, promptTokens, decodeTokens, plot, out);
        }
        return 0;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(0);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(0);
    }
}
