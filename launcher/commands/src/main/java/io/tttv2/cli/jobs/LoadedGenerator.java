package io.tttv2.cli.jobs;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.integration.generation.Generator;
import io.tttv2.integration.serving.scheduler.Scheduler;
import io.tttv2.integration.serving.scheduler.SchedulerConfig;
import io.tttv2.integration.serving.scheduler.SchedulerObserver;
import io.tttv2.integration.tokenizers.Tokenizer;
import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * A decoder-only model loaded once for batch jobs: its runner, its tokenizer and a started {@link Scheduler}
 * that every caller's rows share (continuous batching across the partitions one executor runs at once).
 */
final class LoadedGenerator implements AutoCloseable {

    /** The KV cache of one model in a batch job stays within this (an executor runs beside others). */
    static final long MAX_CACHE_BYTES = 1L << 30;
    /** Rows submitted but not finished, per running sequence: enough to keep the batch full, bounded in memory. */
    static final int WINDOW_PER_SEQUENCE = 4;
    /** Prompt tokens plus decodes one step feeds. */
    static final int STEP_TOKENS = 512;

    final ModelRunner runner;
    final Tokenizer tokenizer;
    final Scheduler scheduler;
    /** Limits rows in flight: each holds a sampler of [vocab] floats. */
    final Semaphore window;
    private final Generator encoder;

    LoadedGenerator(ModelRunner runner, Tokenizer tokenizer, int maxBatch) {
        this.runner = runner;
        this.tokenizer = tokenizer;
        this.encoder = new Generator(runner, tokenizer);
        var info = runner.info();
        long perToken = info.kvCache().bytesPerToken();
        long tokens = Math.min((long) maxBatch * info.maxSequenceLength(), MAX_CACHE_BYTES / perToken);
        int blocks = (int) Math.max(1, tokens / KvCacheSpec.DEFAULT_BLOCK_SIZE);
        int window = maxBatch * WINDOW_PER_SEQUENCE;
        this.scheduler = new Scheduler(runner, tokenizer, new SchedulerConfig(maxBatch, window, blocks,
                KvCacheSpec.DEFAULT_BLOCK_SIZE, Math.max(STEP_TOKENS, maxBatch + 1)), SchedulerObserver.NONE);
        this.window = new Semaphore(window);
        scheduler.start();
    }

    /** The prompt's ids exactly as the {@code generate} command encodes them (same special tokens, same checks). */
    int[] encode(String prompt) {
        return encoder.encode(prompt);
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.close();
        runner.close();
    }
}
