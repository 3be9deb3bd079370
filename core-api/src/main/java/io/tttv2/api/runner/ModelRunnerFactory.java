package io.tttv2.api.runner;

import io.tttv2.api.assembly.Assembly;
import java.nio.file.Path;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/** Offered as a service by a model bundle: builds runners for the HF architectures it supports, of any shape. */
@ConsumerType
public interface ModelRunnerFactory {

    /** HF {@code architectures} names this bundle runs, e.g. {@code LlamaForCausalLM}. */
    Set<String> architectures();

    /**
     * Initialises a model from a HuggingFace checkpoint folder (config.json + safetensors): a {@link ModelRunner},
     * an {@link EncoderRunner} or an {@link EncoderDecoderRunner}, as the architecture is.
     *
     * @throws ModelLoadException with a one-line message naming file, key, expected and found
     */
    Runner initialize(Path modelDirectory, RunnerOptions options);

    /**
     * Everything {@link #initialize} would do short of running: resolve the assembly, read config.json and the
     * weight headers, check every weight's shape, compute every module's configuration and specialization and
     * size the KV cache and workspaces. Reads no tensor data (the data section may be absent).
     *
     * @throws ModelLoadException with a one-line message naming what would make loading fail
     * @throws UnsupportedOperationException if this bundle cannot plan without loading
     */
    default DryRun dryRun(Path modelDirectory, RunnerOptions options) {
        throw new UnsupportedOperationException("this model bundle has no dry run");
    }

    /**
     * The assembly {@link #initialize} would resolve for this checkpoint: the model's own, with
     * {@code options.assembly()} laid over it, plus what the checkpoint needs (variants, dtype). For
     * {@code modules --explain}; models that know no assembly return {@code options.assembly()}.
     *
     * @throws ModelLoadException with a one-line message if the checkpoint's config cannot be read
     */
    default Assembly assembly(Path modelDirectory, RunnerOptions options) {
        return options.assembly() != null ? options.assembly() : new Assembly(null, java.util.Map.of());
    }
}
