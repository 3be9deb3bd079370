package io.tttv2.cli.generate;

import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.QuantizeOption;
import io.tttv2.cli.StartTimes;
import io.tttv2.cli.UserError;
import io.tttv2.cli.config.ConfigOptions;
import io.tttv2.cli.report.ProfileSession;
import io.tttv2.integration.generation.GenerationException;
import io.tttv2.integration.generation.GenerationResult;
import io.tttv2.integration.generation.Generator;
import io.tttv2.integration.generation.SamplingParams;
import io.tttv2.integration.generation.Seq2SeqGenerator;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.osgi.framework.BundleContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code tttv2 generate}: continue a prompt with a model, streaming the text. */
@Command(name = "generate",
        sortOptions = false, description = {
        "Continue PROMPT with a model and stream the text to stdout.",
        "A line of figures (tokens, speed) follows on stderr.",
        "Without --model, the embedded kjv-tiny model (trained on the King James Bible) writes.",
        "Decoding starts from the model's generation_config.json; options override it.",
        "An encoder-decoder (T5) encodes PROMPT and prints the text its decoder generates."})
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--assembly", paramLabel = "FILE",
            description = "Assembly descriptor (JSON): which implementation to use per module kind, laid over the model's own.")
    Path assembly;

    @Option(names = "--model", paramLabel = "DIR", description = "HF model folder (config.json, weights, tokenizer.json) or a GGUF model file; default: the embedded kjv-tiny.")
    Path model;

    @Option(names = "--json", description = "Print one JSON object (prompt, text, token ids, finish reason, figures) instead of streaming.")
    boolean json;

    @Option(names = "--profile", description = "Profile every module call and print, per module kind, the time share, "
            + "GFLOP/s, GB/s and fraction of the machine's measured peak (on stderr, after the text).")
    boolean profile;

    @Mixin
    SamplingOptions sampling;

    @Mixin
    QuantizeOption quantize;

    @picocli.CommandLine.Mixin
    io.tttv2.cli.MatmulPrecisionOption matmulPrecision;

    @Mixin
    ConfigOptions config;

    @Mixin
    io.tttv2.cli.WeightCacheOption weightCache;

    @Parameters(arity = "1..*", paramLabel = "PROMPT", description = "The text to continue (several words are joined with spaces).")
    List<String> prompt;

    private final BundleContext context;
    private final Supplier<Path> home;

    public GenerateCommand(BundleContext context, Supplier<Path> home) {
        this.context = context;
        this.home = home;
    }

    @Override
    public Integer call() {
        matmulPrecision.apply(context, spec.commandLine().getErr());   // before any model loads
        String text = String.join(" ", prompt);
        if (text.isEmpty()) {
            throw new UserError("the prompt is empty: give the text to continue, e.g. tttv2 generate \"In the beginning\"", 2, null);
        }
        ModelFolder folder = ModelFolder.of(model, home.get());
        SamplingParams params = sampling.resolve(folder.directory());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunnerOptions options = config.applied(ModelFolder.options(context, assembly, quantize.type(), weightCache.directory()));
        Integer planned = config.dryRun(context, folder.directory(), options, params, out, err);
        if (planned != null) {
            return planned;
        }
        try (ProfileSession session = profile ? ProfileSession.start(context) : null) {
            int status = run(folder, options, text, params, out, err);
            if (session != null) {
                session.finish(err);
            }
            return status;
        }
    }

    private int run(ModelFolder folder, RunnerOptions options, String text, SamplingParams params, PrintWriter out, PrintWriter err) {
        // the model first: an encoder is refused in one line before its folder is asked for a tokenizer
        StartTimes times = StartTimes.ifVerbose(context);
        Runner loaded = folder.load(context, options);
        if (times != null) {
            times.modelLoaded();
        }
        config.dump(context, folder.directory(), loaded, options, params);
        if (loaded instanceof EncoderDecoderRunner seq2seq) {
            try (seq2seq) {
                return transform(seq2seq, folder, text, params, out, err);
            } catch (GenerationException e) {
                throw new UserError(e.getMessage(), 1, e);
            }
        }
        try (ModelRunner runner = ModelCatalog.decoderOnly(loaded, folder.directory(), "generate")) {
            Tokenizer tokenizer = folder.tokenizer();
            Generator generator = new Generator(runner, tokenizer);
            int[] ids = generator.encode(text);
            GenerationResult result;
            if (json) {
                result = generator.generate(ids, params, piece -> { });
                out.println(GenerationJson.of(folder.directory(), text, result));
            } else {
                out.print(text);
                out.flush();
                result = generator.generate(ids, params, piece -> {
                    out.print(piece);
                    out.flush();
                    if (times != null) {
                        times.tokenStreamed();
                    }
                });
                out.println();
                out.flush();
                err.println(FiguresLine.of(result));
                if (times != null) {
                    err.println(times.line());
                }
            }
            out.flush();
            err.flush();
            return 0;
        } catch (GenerationException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
    }

    /** An encoder–decoder (T5): the prompt is the encoder's input; the output is new text, not a continuation. */
    private int transform(EncoderDecoderRunner runner, ModelFolder folder, String text, SamplingParams params,
                          PrintWriter out, PrintWriter err) {
        Seq2SeqGenerator generator = new Seq2SeqGenerator(runner, folder.tokenizer());
        int[] ids = generator.encode(text);
        GenerationResult result;
        if (json) {
            result = generator.generate(ids, params, piece -> { });
            out.println(GenerationJson.of(folder.directory(), text, result));
        } else {
            result = generator.generate(ids, params, piece -> {
                out.print(piece);
                out.flush();
            });
            out.println();
            err.println(FiguresLine.of(result));
        }
        out.flush();
        err.flush();
        return 0;
    }
}
