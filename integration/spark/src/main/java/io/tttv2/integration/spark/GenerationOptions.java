package io.tttv2.integration.spark;

import java.io.Serializable;

/**
 * How {@link Tttv2Spark#generate} decodes each row, over the model's {@code generation_config.json} as the
 * {@code generate} command's options are.
 *
 * @param maxNewTokens most tokens per row; 0 keeps the model's default
 * @param greedy       always the most likely token: a row's text is then the same as {@code tttv2 generate --greedy}'s,
 *                     whatever its partition or the rows batched with it
 * @param temperature  NaN keeps the model's default
 * @param topP         NaN keeps the model's default
 * @param topK         -1 keeps the model's default
 * @param seed         sampling seed; each row draws from {@code seed} mixed with its own prompt, so reruns and
 *                     retried tasks give the same text
 * @param maxBatch     sequences each executor decodes together (the scheduler's batch)
 */
public record GenerationOptions(int maxNewTokens, boolean greedy, double temperature, double topP, int topK, long seed,
                                int maxBatch) implements Serializable {

    /** Rows decoded together per executor unless set. */
    public static final int DEFAULT_MAX_BATCH = 16;

    public GenerationOptions {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens: expected an integer >= 0, found " + maxNewTokens);
        }
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("maxBatch: expected an integer > 0, found " + maxBatch);
        }
    }

    /** Greedy decoding of at most {@code maxNewTokens} tokens per row. */
    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(maxNewTokens, true, Double.NaN, Double.NaN, -1, 0, DEFAULT_MAX_BATCH);
    }

    /** The model's own defaults (generation_config.json), at most {@code maxNewTokens} tokens, seeded. */
    public static GenerationOptions sampled(int maxNewTokens, long seed) {
        return new GenerationOptions(maxNewTokens, false, Double.NaN, Double.NaN, -1, seed, DEFAULT_MAX_BATCH);
    }

    public GenerationOptions withMaxBatch(int rows) {
        return new GenerationOptions(maxNewTokens, greedy, temperature, topP, topK, seed, rows);
    }
}
