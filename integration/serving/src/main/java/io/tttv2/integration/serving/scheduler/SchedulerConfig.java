package io.tttv2.integration.serving.scheduler;

/**
 * How a {@link Scheduler} shares one model among requests.
 *
 * @param maxBatch   sequences running at once (admitted: being prefilled or decoded); also the most rows one
 *                   prefill or decode call carries
 * @param maxQueue   requests waiting for admission beyond which {@link Scheduler#submit} refuses
 * @param kvBlocks   blocks of the shared KV cache
 * @param blockSize  tokens per block
 * @param stepTokens tokens one step feeds through the model: one per decoding sequence, the rest for prompt
 *                   chunks, so a long prompt is prefilled over several steps and never stalls running decodes
 */
public record SchedulerConfig(int maxBatch, int maxQueue, int kvBlocks, int blockSize, int stepTokens) {

    public SchedulerConfig {
        positive("maxBatch", maxBatch);
        positive("kvBlocks", kvBlocks);
        positive("blockSize", blockSize);
        if (maxQueue < 0) {
            throw new IllegalArgumentException("maxQueue " + maxQueue + ", expected >= 0");
        }
        if (stepTokens < maxBatch + 1) {
            throw new IllegalArgumentException("stepTokens " + stepTokens + ", expected > maxBatch " + maxBatch
                    + " (every decode takes one token of a step; a prompt chunk needs at least one more)");
        }
    }

    /** Tokens the whole cache holds. */
    public long capacityTokens() {
        return (long) kvBlocks * blockSize;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " " + value + ", expected > 0");
        }
    }
}
