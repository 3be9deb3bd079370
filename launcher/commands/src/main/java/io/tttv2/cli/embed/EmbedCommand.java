package io.tttv2.cli.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderOutput;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.QuantizeOption;
import io.tttv2.cli.UserError;
import io.tttv2.cli.WeightCacheOption;
import io.tttv2.cli.config.ConfigOptions;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.osgi.framework.BundleContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code tttv2 embed}: one vector per text from an encoder model (BERT and its relatives). */
@Command(name = "embed", sortOptions = false, description = {
        "Embed each TEXT with an encoder model: one JSON array of floats per line, in the order given.",
        "The texts are tokenised with the model's tokenizer.json (special tokens, token type ids), truncated to",
        "the model's maximum length as HF's tokenizer does, and encoded together in one padded batch."})
public final class EmbedCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "HF encoder model folder (config.json, weights, tokenizer.json).")
    Path model;

    @Option(names = "--pooling", paramLabel = "cls|mean|pooler", defaultValue = "mean",
            description = "cls: the first token's hidden state; mean: the mean over the text's tokens (default); "
                    + "pooler: the model's pooler output.")
    String pooling;

    @Option(names = "--normalize", description = "Scale each vector to unit length (L2).")
    boolean normalize;

    @Option(names = "--json", description = "Print one JSON object: the model, its dimensions and each text's vector.")
    boolean json;

    @Option(names = "--pairs", description = "The texts are pairs (first, second, first, second, …), encoded as "
            + "[CLS] first [SEP] second [SEP] with token type ids 0 and 1.")
    boolean pairs;

    @Option(names = "--no-truncation", description = "Refuse a text longer than the model's maximum instead of truncating it.")
    boolean noTruncation;

    @Option(names = "--assembly", paramLabel = "FILE",
            description = "Assembly descriptor (JSON): which implementation to use per module kind, laid over the model's own.")
    Path assembly;

    @Mixin
    QuantizeOption quantize;

    @Mixin
    WeightCacheOption weightCache;

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The texts to embed, one vector each.")
    List<String> texts;

    private final BundleContext context;

    public EmbedCommand(BundleContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Pooling how = pooling();
        ModelCatalog catalog = new ModelCatalog(context);
        RunnerOptions options = new RunnerOptions(Math.max(1, texts.size()), 0, catalog.assembly(assembly),
                quantize.type(), weightCache.directory());
        Integer planned = config.dryRun(context, model, options, null, spec.commandLine().getOut(), spec.commandLine().getErr());
        if (planned != null) {
            return planned;
        }
        try (Runner loaded = catalog.load(model, options)) {
            config.dump(context, model, loaded, options, null);
            if (!(loaded instanceof EncoderRunner encoder)) {
                throw new UserError(ModelCatalog.notFor(loaded, loaded.info().architecture(), model, "embed"), 2, null);
            }
            if (how == Pooling.POOLER && !encoder.hasPooler()) {
                throw new UserError(model + ": " + encoder.info().architecture() + " has no pooler (no pooler.dense weights);"
                        + " use --pooling cls or mean", 2, null);
            }
            Tokenizer tokenizer = tokenizer();
            int padId = Math.max(0, tokenizer.tokenId("[PAD]"));
            EncoderBatch batch = TextBatch.of(tokenizer, texts, pairs, encoder.info().maxSequenceLength(), !noTruncation,
                    padId);
            EncoderOutput out = encoder.encode(batch, false);
            int hidden = encoder.info().hidden();
            PrintWriter writer = spec.commandLine().getOut();
            ArrayNode vectors = JSON.createArrayNode();
            for (int b = 0; b < batch.batch(); b++) {
                float[] v = how.pool(out, batch, b, hidden);
                ArrayNode vector = JSON.createArrayNode();
                for (float x : normalize ? Pooling.normalized(v) : v) {
                    vector.add(x);
                }
                vectors.add(vector);
            }
            if (json) {
                ObjectNode doc = JSON.createObjectNode();
                doc.put("model", name());
                doc.put("architecture", encoder.info().architecture());
                doc.put("dimensions", hidden);
                doc.put("pooling", how.name().toLowerCase(Locale.ROOT));
                doc.put("normalized", normalize);
                doc.set("embeddings", vectors);
                writer.println(write(doc));
            } else {
                for (int b = 0; b < vectors.size(); b++) {
                    writer.println(write(vectors.get(b)));
                }
            }
            writer.flush();
            return 0;
        }
    }

    private Pooling pooling() {
        try {
            return Pooling.valueOf(pooling.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserError("--pooling expected cls, mean or pooler, found '" + pooling + "'", 2, null);
        }
    }

    private Tokenizer tokenizer() {
        Path file = model.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": missing (embed tokenises with the model's tokenizer.json)");
        }
        try {
            return Tokenizer.load(file);
        } catch (TokenizerException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
    }

    private String name() {
        Path name = model.toAbsolutePath().normalize().getFileName();
        return name == null ? model.toString() : name.toString();
    }

    private static String write(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
