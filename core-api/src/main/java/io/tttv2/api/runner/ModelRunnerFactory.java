package io.tttv2.api.runner;

import java.nio.file.Path;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/** Offered as a service by a model bundle: builds runners for the HF architectures it supports. */
@ConsumerType
public interface ModelRunnerFactory {

    /** HF {@code architectures} names this bundle runs, e.g. {@code LlamaForCausalLM}. */
    Set<String> architectures();

    /**
     * Initialises a model from a HuggingFace checkpoint folder (config.json + safetensors).
     *
     * @throws ModelLoadException with a one-line message naming file, key, expected and found
     */
    ModelRunner initialize(Path modelDirectory, RunnerOptions options);
}
