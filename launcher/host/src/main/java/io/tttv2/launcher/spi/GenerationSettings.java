package io.tttv2.launcher.spi;

/**
 * How {@link HostBatchJobs#generate} decodes: over the model's {@code generation_config.json}, as the
 * {@code generate} command's options are.
 *
 * @param maxNewTokens most tokens to generate per row; 0 keeps the model's default
 * @param greedy       always the most likely token (the sampling fields are then ignored)
 * @param temperature  sampling temperature; NaN keeps the model's default
 * @param topP         nucleus mass in (0, 1]; NaN keeps the model's default
 * @param topK         the K most likely tokens; -1 keeps the model's default
 * @param seed         the random draws' seed; a row's sampler is seeded with {@code seed + rowIndex} so a row's
 *                     text depends on its position in the call, not on the others
 * @param maxBatch     sequences the scheduler runs at once
 */
public record GenerationSettings(int maxNewTokens, boolean greedy, double temperature, double topP, int topK, long seed,
                                 int maxBatch) {
}
