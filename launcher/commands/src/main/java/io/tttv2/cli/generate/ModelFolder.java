package io.tttv2.cli.generate;

import io.tttv2.api.runner.Runner;
import io.tttv2.api.runner.RunnerOptions;
import io.tttv2.api.tensor.DType;
import io.tttv2.cli.ModelCatalog;
import io.tttv2.cli.UserError;
import io.tttv2.integration.hf.gguf.GgufFile;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import io.tttv2.integration.tokenizers.ChatTemplate;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.osgi.framework.BundleContext;

/**
 * A HuggingFace model folder (or a GGUF model file) as the text commands use it: its tokenizer, its chat
 * template and its weights. Every failure is a one-line {@link UserError} with exit code 1.
 */
record ModelFolder(Path directory) {

    /** The embedded default model, under the distribution's home. */
    static final String DEFAULT_MODEL = "models/kjv-tiny";

    /** Loading shows a progress bar only if it has not finished after this long. */
    static final Duration PROGRESS_DELAY = Duration.ofMillis(300);

    /** {@code --model}, or the embedded default model when it is not given. */
    static ModelFolder of(Path option, Path home) {
        Path directory = option != null ? option : home.resolve(DEFAULT_MODEL);
        if (Files.isRegularFile(directory)) {
            // a GGUF model file carries weights, config and tokenizer; anything else is refused here in one line
            try {
                GgufFile.open(directory).close();
            } catch (CheckpointFormatException e) {
                throw new UserError(e.getMessage(), 1, e);
            }
            return new ModelFolder(directory);
        }
        if (!Files.isDirectory(directory)) {
            throw new UserError(directory + ": no such model folder"
                    + (option == null ? " (the embedded default model is missing from the distribution)" : ""));
        }
        return new ModelFolder(directory);
    }

    /** A short name for messages: the folder's name. */
    String name() {
        Path name = directory.toAbsolutePath().normalize().getFileName();
        return name == null ? directory.toString() : name.toString();
    }

    Tokenizer tokenizer() {
        Path file = GgufFile.isGguf(directory) ? directory : directory.resolve("tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": missing (a model folder for text generation holds its tokenizer.json)");
        }
        try {
            return Tokenizer.load(file);
        } catch (TokenizerException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
    }

    ChatTemplate chatTemplate() {
        try {
            return ChatTemplate.load(directory);
        } catch (TokenizerException e) {
            throw new UserError(e.getMessage(), 1, e);
        }
    }

    /**
     * Loads the weights for one sequence, with a progress bar on a terminal if that takes a while.
     *
     * @param assemblyFile {@code --assembly FILE}, laid over the model's own assembly; null for none
     * @param quantize     {@code --quantize}: the type the linear weights are quantised to at load; null for none
     * @param weightCache  {@code --weight-cache}: where converted weights are cached; null for none
     */
    Runner load(BundleContext context, Path assemblyFile, DType quantize, Path weightCache) {
        return load(context, options(context, assemblyFile, quantize, weightCache));
    }

    /**
     * The options the text commands load with: one sequence, {@code --assembly FILE} laid over the model's own,
     * linear weights quantised to {@code quantize} at load (null: as stored), converted weights cached in
     * {@code weightCache} (null: no cache).
     */
    static RunnerOptions options(BundleContext context, Path assemblyFile, DType quantize, Path weightCache) {
        ModelCatalog catalog = new ModelCatalog(context);
        return new RunnerOptions(1, ModelCatalog.MAX_SEQUENCE_LENGTH, catalog.assembly(assemblyFile),   // a bad file fails first
                quantize, weightCache);
    }

    /** Loads the weights with {@code options}, with a progress bar on a terminal if that takes a while. */
    Runner load(BundleContext context, RunnerOptions options) {
        ModelCatalog catalog = new ModelCatalog(context);
        return LoadingProgress.whileRunning("Loading " + name(), PROGRESS_DELAY, LoadingProgress.onTerminal(),
                () -> catalog.load(directory, options));
    }
}
