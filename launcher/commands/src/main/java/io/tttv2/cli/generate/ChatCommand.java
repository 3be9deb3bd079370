package io.tttv2.cli.generate;

import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.QuantizeOption;
import io.tttv2.cli.UserError;
import io.tttv2.cli.config.ConfigOptions;
import io.tttv2.integration.generation.ChatSession;
import io.tttv2.integration.generation.GenerationException;
import io.tttv2.integration.generation.GenerationResult;
import io.tttv2.integration.generation.SamplingParams;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code tttv2 chat}: a conversation on stdin, one user turn per line, through the model's chat template.
 * The KV cache lives as long as the conversation: each turn prefills only the tokens the cache lacks.
 */
@Command(name = "chat",
        sortOptions = false, description = {
        "Talk with a model through its chat template, one user turn per line of stdin.",
        "The reply streams to stdout and a line of figures follows on stderr. Ctrl-D (end of input) ends it.",
        "The KV cache is kept across turns, so each turn only reads what is new."})
public final class ChatCommand implements Callable<Integer> {

    /** Shown before each turn when a person types at a terminal. */
    static final String PROMPT = "> ";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--assembly", paramLabel = "FILE",
            description = "Assembly descriptor (JSON): which implementation to use per module kind, laid over the model's own.")
    Path assembly;

    @picocli.CommandLine.Mixin
    QuantizeOption quantize;

    @picocli.CommandLine.Mixin
    io.tttv2.cli.MatmulPrecisionOption matmulPrecision;

    @picocli.CommandLine.Mixin
    io.tttv2.cli.WeightCacheOption weightCache;

    @Option(names = "--model", paramLabel = "DIR",
            description = "HF model folder with a chat template (chat_template.jinja or tokenizer_config.json); default: the embedded kjv-tiny.")
    Path model;

    @Mixin
    SamplingOptions sampling;

    private final BundleContext context;
    private final Supplier<Path> home;

    public ChatCommand(BundleContext context, Supplier<Path> home) {
        this.context = context;
        this.home = home;
    }

    @Override
    public Integer call() {
        matmulPrecision.apply(context, spec.commandLine().getErr());   // before any model loads
        ModelFolder folder = ModelFolder.of(model, home.get());
        SamplingParams params = sampling.resolve(folder.directory());
        ChatTemplate template = folder.chatTemplate();
        Tokenizer tokenizer = folder.tokenizer();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean interactive = System.console() != null && System.console().isTerminal();
        TurnReader in = new TurnReader(new BufferedReader(new InputStreamReader(System.in, inputCharset())));
        RunnerOptions options = config.applied(ModelFolder.options(context, assembly, quantize.type(), weightCache.directory()));
        Integer planned = config.dryRun(context, folder.directory(), options, params, out, spec.commandLine().getErr());
        if (planned != null) {
            return planned;
        }
        Runner loaded = folder.load(context, options);
        config.dump(context, folder.directory(), loaded, options, params);
        try (ModelRunner runner = ModelCatalog.decoderOnly(loaded, folder.directory(), "chat");
             ChatSession chat = new ChatSession(runner, tokenizer, template)) {
            while (true) {
                if (interactive) {
                    out.print(PROMPT);
                    out.flush();
                }
                String line = in.readLine();
                if (line == null) {
                    if (interactive) {
                        out.println();
                    }
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                GenerationResult result = chat.reply(line, params, piece -> {
                    out.print(piece);
                    out.flush();
                });
                out.println();
                out.flush();
                err.println(FiguresLine.of(result));
                err.flush();
            }
            return 0;
        } catch (GenerationException e) {
            throw new UserError(e.getMessage(), 1, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stdin", e);
        }
    }

    /** What the terminal or pipe sends: the JDK's stdin.encoding (JDK 25), else the platform's charset. */
    private static Charset inputCharset() {
        String name = System.getProperty("stdin.encoding");
        try {
            return name != null ? Charset.forName(name) : Charset.defaultCharset();
        } catch (IllegalArgumentException e) {
            return Charset.defaultCharset();
        }
    }
}
