package io.tttv2.cli.jobs;

import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderOutput;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.UserError;
import io.tttv2.cli.embed.Pooling;
import io.tttv2.cli.embed.TextBatch;
import io.tttv2.integration.generation.GenerationException;
import io.tttv2.integration.generation.InvalidSamplingParameterException;
import io.tttv2.integration.generation.SamplingDefaults;
import io.tttv2.integration.generation.SamplingParams;
import io.tttv2.integration.hf.config.ConfigFormatException;
import io.tttv2.integration.serving.scheduler.QueueFullException;
import io.tttv2.integration.serving.scheduler.SequenceRequest;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import io.tttv2.launcher.spi.EmbeddedText;
import io.tttv2.launcher.spi.GeneratedText;
import io.tttv2.launcher.spi.GenerationSettings;
import io.tttv2.launcher.spi.HostBatchJobs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Batch jobs for a program that embeds the host (a Spark executor): generation through the serving bundle's
 * continuous-batching scheduler, embeddings through the {@code embed} command's tokenisation and pooling. Each
 * model folder is loaded once, on first use, and released when the framework stops.
 */
@Component(service = HostBatchJobs.class)
public final class BatchJobsComponent implements HostBatchJobs {

    private final BundleContext context;
    private final Map<String, LoadedGenerator> generators = new HashMap<>();
    private final Map<String, LoadedEncoder> encoders = new HashMap<>();

    @Activate
    public BatchJobsComponent(BundleContext context) {
        this.context = context;
    }

    @Deactivate
    synchronized void deactivate() {
        generators.values().forEach(LoadedGenerator::close);
        encoders.values().forEach(LoadedEncoder::close);
        generators.clear();
        encoders.clear();
    }

    @Override
    public String check(String modelDirectory, String task) {
        Path directory = Path.of(modelDirectory);
        try {
            tokenizerFile(directory, task);
            // loaded (weights memory-mapped, cheap) and closed again: only loading tells an encoder from an LM
            try (Runner runner = new ModelCatalog(context).load(directory, new RunnerOptions(1, ModelCatalog.MAX_SEQUENCE_LENGTH, null))) {
                boolean fits = task.equals("embed") ? runner instanceof EncoderRunner : runner instanceof ModelRunner;
                return fits ? null : ModelCatalog.notFor(runner, runner.info().architecture(), directory, "spark " + task);
            }
        } catch (UserError e) {
            return e.getMessage();
        }
    }

    @Override
    public List<GeneratedText> generate(String modelDirectory, List<String> prompts, GenerationSettings settings) {
        LoadedGenerator model = generator(modelDirectory, settings.maxBatch());
        SamplingParams base = params(Path.of(modelDirectory), settings);
        List<CompletableFuture<GeneratedText>> results = new ArrayList<>(prompts.size());
        for (String prompt : prompts) {
            results.add(submit(model, prompt, base, settings));
        }
        List<GeneratedText> out = new ArrayList<>(prompts.size());
        for (CompletableFuture<GeneratedText> r : results) {
            out.add(r.join());
        }
        return out;
    }

    private CompletableFuture<GeneratedText> submit(LoadedGenerator model, String prompt, SamplingParams base,
                                                    GenerationSettings settings) {
        int[] ids;
        try {
            ids = model.encode(prompt);
        } catch (GenerationException | TokenizerException e) {
            return CompletableFuture.completedFuture(GeneratedText.failed(0, e.getMessage()));
        }
        // a sampled row's draws depend on its own text, never on its partition or neighbours
        SamplingParams params = base.greedy() ? base : base.toBuilder().seed(settings.seed() ^ prompt.hashCode()).build();
        model.window.acquireUninterruptibly();
        RowListener listener = new RowListener(ids.length, model.window::release);
        try {
            model.scheduler.submit(new SequenceRequest(ids, params, listener));
        } catch (IllegalArgumentException | QueueFullException e) {
            model.window.release();
            return CompletableFuture.completedFuture(GeneratedText.failed(ids.length, e.getMessage()));
        }
        return listener.result;
    }

    @Override
    public List<EmbeddedText> embed(String modelDirectory, List<String> texts, String pooling, boolean normalize) {
        Pooling how;
        try {
            how = Pooling.valueOf(pooling.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pooling: expected cls, mean or pooler, found '" + pooling + "'");
        }
        LoadedEncoder model = encoder(modelDirectory);
        if (how == Pooling.POOLER && !model.runner().hasPooler()) {
            throw new IllegalArgumentException(modelDirectory + ": " + model.runner().info().architecture()
                    + " has no pooler (no pooler.dense weights); use pooling cls or mean");
        }
        List<EmbeddedText> out = new ArrayList<>(texts.size());
        int maxLength = model.runner().info().maxSequenceLength();
        int hidden = model.runner().info().hidden();
        for (int from = 0; from < texts.size(); from += LoadedEncoder.CHUNK) {
            List<String> chunk = texts.subList(from, Math.min(texts.size(), from + LoadedEncoder.CHUNK));
            EncoderBatch batch;
            try {
                batch = TextBatch.of(model.tokenizer(), chunk, false, maxLength, true, model.padId());
            } catch (UserError e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            EncoderOutput encoded;
            synchronized (model) {
                encoded = model.runner().encode(batch, false);
            }
            for (int b = 0; b < chunk.size(); b++) {
                float[] v = how.pool(encoded, batch, b, hidden);
                int tokens = 0;
                for (int m : batch.attentionMask()[b]) {
                    tokens += m;
                }
                out.add(new EmbeddedText(normalize ? Pooling.normalized(v) : v, tokens, null));
            }
        }
        return out;
    }

    private synchronized LoadedGenerator generator(String modelDirectory, int maxBatch) {
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("maxBatch: expected an integer > 0, found " + maxBatch);
        }
        String key = modelDirectory + "\u0000" + maxBatch;
        LoadedGenerator loaded = generators.get(key);
        if (loaded == null) {
            Path directory = Path.of(modelDirectory);
            Runner runner = load(directory, new RunnerOptions(maxBatch, ModelCatalog.MAX_SEQUENCE_LENGTH, null));
            ModelRunner decoder;
            try {
                decoder = ModelCatalog.decoderOnly(runner, directory, "spark generate");
            } catch (UserError e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            loaded = new LoadedGenerator(decoder, tokenizer(directory, "generate"), maxBatch);
            generators.put(key, loaded);
        }
        return loaded;
    }

    private synchronized LoadedEncoder encoder(String modelDirectory) {
        LoadedEncoder loaded = encoders.get(modelDirectory);
        if (loaded == null) {
            Path directory = Path.of(modelDirectory);
            Runner runner = load(directory, new RunnerOptions(LoadedEncoder.CHUNK, 0, null));
            if (!(runner instanceof EncoderRunner encoder)) {
                String line = ModelCatalog.notFor(runner, runner.info().architecture(), directory, "spark embed");
                runner.close();
                throw new IllegalArgumentException(line);
            }
            Tokenizer tokenizer = tokenizer(directory, "embed");
            loaded = new LoadedEncoder(encoder, tokenizer, Math.max(0, tokenizer.tokenId("[PAD]")));
            encoders.put(modelDirectory, loaded);
        }
        return loaded;
    }

    private Runner load(Path directory, RunnerOptions options) {
        try {
            return new ModelCatalog(context).load(directory, options);
        } catch (UserError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Path tokenizerFile(Path directory, String task) {
        Path file = directory.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": missing (" + task + " tokenises with the model's tokenizer.json)");
        }
        if (!Files.isReadable(file)) {
            throw new UserError(file + ": not readable by this process");
        }
        return file;
    }

    private static Tokenizer tokenizer(Path directory, String task) {
        try {
            return Tokenizer.load(tokenizerFile(directory, task));
        } catch (UserError | TokenizerException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The model's generation_config.json with the settings over it, as the {@code generate} command's options. */
    private static SamplingParams params(Path directory, GenerationSettings settings) {
        try {
            SamplingParams.Builder b = SamplingDefaults.of(directory);
            if (!Double.isNaN(settings.temperature()) || !Double.isNaN(settings.topP()) || settings.topK() >= 0) {
                b.doSample(true);
            }
            if (settings.greedy()) {
                b.doSample(false);
            }
            if (settings.maxNewTokens() > 0) {
                b.maxNewTokens(settings.maxNewTokens());
            }
            if (!Double.isNaN(settings.temperature())) {
                b.temperature(settings.temperature());
            }
            if (!Double.isNaN(settings.topP())) {
                b.topP(settings.topP());
            }
            if (settings.topK() >= 0) {
                b.topK(settings.topK());
            }
            return b.build();
        } catch (ConfigFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (InvalidSamplingParameterException e) {
            throw new IllegalArgumentException(e.parameter() + ": expected " + e.expected() + ", found " + e.found(), e);
        }
    }
}
