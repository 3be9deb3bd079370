package io.tttv2.api.modules;

/**
 * How a module runs: the knobs shared by modules that keep workspaces. Defaults come from the spec and
 * the device ({@link #defaults}); a caller overrides any field by building its own record.
 *
 * @param maxBatch     sequences one decode step may carry (decode workspaces are sized for it up front,
 *                     so the decode path allocates nothing)
 * @param prefillChunk tokens a prefill processes at once (bounds prefill workspaces; longer prompts run
 *                     in chunks)
 */
public record ModuleConfig(int maxBatch, int prefillChunk) {

    public static final int DEFAULT_MAX_BATCH = 16;
    public static final int DEFAULT_PREFILL_CHUNK = 512;

    public ModuleConfig {
        if (maxBatch <= 0 || prefillChunk <= 0) {
            throw new IllegalArgumentException("maxBatch and prefillChunk must be positive, found " + maxBatch + ", " + prefillChunk);
        }
    }

    /** The defaults: room for {@value #DEFAULT_MAX_BATCH} sequences and {@value #DEFAULT_PREFILL_CHUNK}-token chunks. */
    public static ModuleConfig defaults() {
        return new ModuleConfig(DEFAULT_MAX_BATCH, DEFAULT_PREFILL_CHUNK);
    }
}
