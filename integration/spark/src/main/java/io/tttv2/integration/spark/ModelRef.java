package io.tttv2.integration.spark;

import java.io.Serializable;

/**
 * A model for a Spark job: its HuggingFace folder and the TTTv2 distribution that runs it, both as paths the
 * executors read. A relative path is looked up in the executor's working folder, then among the files Spark
 * shipped to it ({@code --archives tttv2.tgz#tttv2}, {@code --files}), so a shipped archive's alias works.
 *
 * @param modelDirectory the model folder (config.json, weights, tokenizer.json)
 * @param home           the distribution's home (its {@code bundles/} folder), e.g. {@code launcher/distribution/target/tttv2}
 */
public record ModelRef(String modelDirectory, String home) implements Serializable {

    /** The Spark setting naming the distribution's home when {@link #of(String)} is used. */
    public static final String HOME_CONF = "spark.tttv2.home";
    /** Where {@link #of(String)} looks without {@link #HOME_CONF}: the alias of {@code --archives tttv2.tgz#tttv2}. */
    public static final String DEFAULT_HOME = "tttv2";

    public ModelRef {
        if (modelDirectory == null || modelDirectory.isBlank()) {
            throw new IllegalArgumentException("model folder: expected a path, found none");
        }
    }

    /** The model in {@code modelDirectory}, run by the distribution that {@link #HOME_CONF} names (read on the driver). */
    public static ModelRef of(String modelDirectory) {
        return new ModelRef(modelDirectory, null);
    }
}
