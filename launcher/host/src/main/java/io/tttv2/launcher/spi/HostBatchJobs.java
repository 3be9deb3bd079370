package io.tttv2.launcher.spi;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Batch jobs over many rows, implemented by a bundle and called by a program that embeds the host as a library
 * (a Spark executor: one host per JVM, one call per partition). Only JDK types cross this interface, so the
 * caller, outside the framework, needs none of the bundles' classes. Models are loaded on first use and kept
 * until the framework stops; calls may come from several threads at once and share one loaded model.
 */
@ConsumerType
public interface HostBatchJobs {

    /**
     * Checks, before any row is fed, that {@code modelDirectory} is a model folder this host runs for {@code task}.
     *
     * @param task "generate" (a decoder-only LM) or "embed" (an encoder)
     * @return null if it is; else one line naming the folder, the file or key, what was expected and what was found
     */
    String check(String modelDirectory, String task);

    /**
     * Continues every prompt. The prompts share the model through its continuous-batching scheduler; a greedy
     * row's text does not depend on which other rows run with it.
     *
     * @return one result per prompt, in order; a prompt that cannot run (too long for the context) gets an
     *         {@link GeneratedText#error()} instead of failing the others
     * @throws IllegalArgumentException if the model folder or the settings are unusable (one line)
     */
    List<GeneratedText> generate(String modelDirectory, List<String> prompts, GenerationSettings settings);

    /**
     * Embeds every text (truncated to the model's maximum length as HF's tokenizer does).
     *
     * @param pooling "cls", "mean" or "pooler"
     * @return one result per text, in order
     * @throws IllegalArgumentException if the model folder or the pooling is unusable (one line)
     */
    List<EmbeddedText> embed(String modelDirectory, List<String> texts, String pooling, boolean normalize);
}
