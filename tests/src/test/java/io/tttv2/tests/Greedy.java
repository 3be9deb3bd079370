package io.tttv2.tests;

import io.tttv2.api.assembly.UnresolvedException;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Greedy generation of one sequence with a runner, the way a serving loop drives it: prefill, then one
 * decode step per token. A step refused because the runner is paused ("paused: ...") did nothing, so it is
 * retried, as a scheduler would, until a candidate returns or {@link #PAUSE_LIMIT_MILLIS} pass.
 */
public final class Greedy {

    /** Generous: a test brings a candidate back within a second or two of taking it away. */
    public static final long PAUSE_LIMIT_MILLIS = 60_000;
    private static final int BLOCK_SIZE = 16;

    private final ModelRunner runner;
    private final AtomicInteger pauses;
    private final Consumer<String> pauseMessages;
    private final Runnable beforeStep;
    private final Runnable afterStep;

    /**
     * @param pauses        counts the refused steps
     * @param pauseMessages receives each refusal's message
     * @param beforeStep    runs before each step (prefill or decode) is tried
     * @param afterStep     runs after each step that ran
     */
    public Greedy(ModelRunner runner, AtomicInteger pauses, Consumer<String> pauseMessages, Runnable beforeStep,
                  Runnable afterStep) {
        this.runner = runner;
        this.pauses = pauses;
        this.pauseMessages = pauseMessages;
        this.beforeStep = beforeStep;
        this.afterStep = afterStep;
    }

    /** A runner driven without observers. */
    public static Greedy of(ModelRunner runner) {
        return new Greedy(runner, new AtomicInteger(), m -> { }, () -> { }, () -> { });
    }

    /** The {@code count} tokens greedy decoding picks after {@code prompt}. */
    public int[] generate(int[] prompt, int count) throws InterruptedException {
        int vocab = runner.info().vocabSize();
        int blocks = (prompt.length + count) / BLOCK_SIZE + 2;
        try (PagedKvCache cache = runner.allocateKvCache(blocks, BLOCK_SIZE)) {
            BlockTable table = cache.newSequence();
            Tensor logits = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, vocab);     // [1, vocab]
            int[] out = new int[count];
            step(() -> runner.prefill(cache, List.of(new PrefillRequest(prompt, table, null)), logits));
            out[0] = argmax(logits.toFloatArray());
            int[] token = new int[1];
            BlockTable[] tables = {table};
            for (int s = 1; s < count; s++) {
                token[0] = out[s - 1];
                step(() -> runner.decode(cache, token, tables, logits));
                out[s] = argmax(logits.toFloatArray());
            }
            return out;
        }
    }

    private void step(Runnable step) throws InterruptedException {
        long deadline = System.currentTimeMillis() + PAUSE_LIMIT_MILLIS;
        while (true) {
            beforeStep.run();
            try {
                step.run();
                afterStep.run();
                return;
            } catch (UnresolvedException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("paused: ")) {
                    throw e;
                }
                pauses.incrementAndGet();
                pauseMessages.accept(e.getMessage());
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("paused for more than " + PAUSE_LIMIT_MILLIS + " ms: " + e.getMessage(), e);
                }
                Thread.sleep(2);
            }
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
