package io.tttv2.cli.generate;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.QuantizeOption;
import io.tttv2.cli.UserError;
import io.tttv2.cli.config.ConfigOptions;
import io.tttv2.integration.generation.SamplingDefaults;
import io.tttv2.integration.generation.SamplingParams;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.serving.OpenAiServer;
import io.tttv2.integration.serving.ServedModel;
import io.tttv2.integration.serving.ServerOptions;
import io.tttv2.integration.serving.ServerStartException;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code tttv2 serve}: an OpenAI-compatible HTTP server for one model, until the process is stopped. */
@Command(name = "serve", sortOptions = false, description = {
        "Serve a model over HTTP with OpenAI's API, sharing it among requests by continuous batching.",
        "Endpoints: POST /v1/completions and POST /v1/chat/completions (streaming or not), GET /v1/models,",
        "GET /health, GET /metrics (Prometheus). Runs until stopped (Ctrl-C or SIGTERM), then lets running",
        "requests finish for --grace seconds. Without --model, the embedded kjv-tiny model serves."})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--model", paramLabel = "DIR", description = "HF model folder or GGUF model file; default: the embedded kjv-tiny.")
    Path model;

    @Option(names = "--assembly", paramLabel = "FILE", description = "Assembly descriptor (JSON) laid over the model's own.")
    Path assembly;

    @picocli.CommandLine.Mixin
    QuantizeOption quantize;

    @picocli.CommandLine.Mixin
    io.tttv2.cli.MatmulPrecisionOption matmulPrecision;

    @picocli.CommandLine.Mixin
    io.tttv2.cli.WeightCacheOption weightCache;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8000", description = "Port to listen on; 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--max-batch", paramLabel = "N", defaultValue = "16", description = "Sequences decoded together (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-queue", paramLabel = "N", defaultValue = "64", description = "Requests waiting beyond those running; more get 429 (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(names = "--kv-blocks", paramLabel = "N", description = "Blocks of " + KvCacheSpec.DEFAULT_BLOCK_SIZE
            + " tokens in the shared KV cache (default: enough for --max-batch sequences of the model's full context, at most 4 GiB).")
    Integer kvBlocks;

    @Option(names = "--step-tokens", paramLabel = "N", defaultValue = "512", description = "Tokens one step feeds through the model: decodes plus prompt chunks (default: ${DEFAULT-VALUE}).")
    int stepTokens;

    @Option(names = "--max-body", paramLabel = "BYTES", defaultValue = "1048576", description = "Largest request body; larger get 413 (default: ${DEFAULT-VALUE}).")
    int maxBody;

    @Option(names = "--api-key", paramLabel = "KEY", description = "Require 'Authorization: Bearer KEY' on /v1/ (default: the TTTV2_API_KEY environment variable, else none).")
    String apiKey;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10", description = "On stop, how long running requests may take to finish (default: ${DEFAULT-VALUE}).")
    int graceSeconds;

    /** The largest shared KV cache the default --kv-blocks allocates. */
    static final long MAX_DEFAULT_CACHE_BYTES = 4L << 30;

    private final BundleContext context;
    private final Supplier<Path> home;

    public ServeCommand(BundleContext context, Supplier<Path> home) {
        this.context = context;
        this.home = home;
    }

    @Override
    public Integer call() throws InterruptedException {
        matmulPrecision.apply(context, spec.commandLine().getErr());   // before any model loads
        positive("--max-batch", maxBatch);
        positive("--step-tokens", stepTokens);
        positive("--max-body", maxBody);
        if (maxQueue < 0) {
            throw new UserError("--max-queue: expected an integer >= 0, found " + maxQueue, 2, null);
        }
        if (port < 0 || port > 65535) {
            throw new UserError("--port: expected 0..65535, found " + port, 2, null);
        }
        if (kvBlocks != null) {
            positive("--kv-blocks", kvBlocks);
        }
        if (stepTokens <= maxBatch) {
            throw new UserError("--step-tokens: expected more than --max-batch (" + maxBatch + "), found " + stepTokens, 2, null);
        }
        String key = apiKey != null ? apiKey : System.getenv("TTTV2_API_KEY");
        ModelFolder folder = ModelFolder.of(model, home.get());
        var tokenizer = folder.tokenizer();
        ChatTemplate template = chatTemplate(folder.directory());
        Set<Integer> stopTokens;
        try {
            SamplingParams defaults = SamplingDefaults.of(folder.directory()).build();
            stopTokens = defaults.stopTokenIds();
        } catch (ConfigFormatException e) {
            throw new UserError(e.getMessage());
        }
        ModelCatalog catalog = new ModelCatalog(context);
        RunnerOptions options = config.applied(new RunnerOptions(maxBatch, ModelCatalog.MAX_SEQUENCE_LENGTH,   // --kv-dtype
                catalog.assembly(assembly), quantize.type(), weightCache.directory()));
        PrintWriter out = spec.commandLine().getOut();
        Integer planned = config.dryRun(context, folder.directory(), options, null, out, spec.commandLine().getErr());
        if (planned != null) {
            return planned;
        }
        Runner loaded = LoadingProgress.whileRunning("Loading " + folder.name(),
                ModelFolder.PROGRESS_DELAY, LoadingProgress.onTerminal(), () -> catalog.load(folder.directory(), options));
        config.dump(context, folder.directory(), loaded, options, null);
        try (ModelRunner runner = ModelCatalog.decoderOnly(loaded, folder.directory(), "serve")) {
            int blocks = kvBlocks != null ? kvBlocks : defaultBlocks(runner);
            ServerOptions serverOptions = new ServerOptions(host, port, maxBatch, maxQueue, blocks,
                    KvCacheSpec.DEFAULT_BLOCK_SIZE, stepTokens, maxBody, key, Duration.ofSeconds(graceSeconds));
            OpenAiServer server;
            try {
                server = OpenAiServer.start(new ServedModel(folder.name(), runner, tokenizer, template, stopTokens,
                        () -> ConfigOptions.document(context, folder.directory(), runner, options)), serverOptions);
            } catch (ServerStartException e) {
                throw new UserError(e.getMessage(), 1, e);
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                server.stop();
                stopped.countDown();
            }, "tttv2-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            out.println("Serving " + folder.name() + " on http://" + host + ":" + server.port() + " (max batch " + maxBatch
                    + ", queue " + maxQueue + ", " + blocks + " KV blocks of " + KvCacheSpec.DEFAULT_BLOCK_SIZE + " tokens"
                    + (template == null ? ", no chat template" : "") + (key == null ? "" : ", API key required") + ")");
            out.flush();
            stopped.await();
            return 0;
        }
    }

    /** The model's chat template, or null if it has none (then /v1/chat/completions answers 400). */
    private static ChatTemplate chatTemplate(Path directory) {
        boolean declared = Files.isRegularFile(directory.resolve("chat_template.jinja"));
        try {
            return ChatTemplate.load(directory);
        } catch (TokenizerException e) {
            if (!declared && e.getMessage().contains("no chat template")) {
                return null;
            }
            throw new UserError(e.getMessage(), 1, e);
        }
    }

    /** Enough blocks for --max-batch full-context sequences, within {@link #MAX_DEFAULT_CACHE_BYTES}. */
    private int defaultBlocks(ModelRunner runner) {
        var info = runner.info();
        var kv = info.kvCache();
        long perToken = kv.bytesPerToken();
        long tokens = Math.min((long) maxBatch * info.maxSequenceLength(), MAX_DEFAULT_CACHE_BYTES / perToken);
        return (int) Math.max(1, tokens / KvCacheSpec.DEFAULT_BLOCK_SIZE);
    }

    private static void positive(String option, int value) {
        if (value <= 0) {
            throw new UserError(option + ": expected an integer > 0, found " + value, 2, null);
        }
    }
}
