package io.tttv2.cli.jobs;

import io.tttv2.integration.serving.scheduler.Completion;
import io.tttv2.integration.serving.scheduler.SequenceListener;
import io.tttv2.launcher.spi.GeneratedText;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Collects one row's tokens and ends its future; called on the scheduler's step thread, so it only records. */
final class RowListener implements SequenceListener {

    final CompletableFuture<GeneratedText> result = new CompletableFuture<>();
    private final int promptTokens;
    private final long startNanos;
    private final Runnable onEnd;
    private int[] ids = new int[16];
    private int count;

    RowListener(int promptTokens, Runnable onEnd) {
        this.promptTokens = promptTokens;
        this.startNanos = System.nanoTime();
        this.onEnd = onEnd;
    }

    @Override
    public void token(int id) {
        if (count == ids.length) {
            ids = java.util.Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = id;
    }

    @Override
    public void text(String piece) {
        // the completion carries all text; pieces are for streaming clients
    }

    @Override
    public void finished(Completion completion) {
        onEnd.run();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        if (completion.reason() == Completion.Outcome.CANCELLED) {
            result.complete(GeneratedText.failed(promptTokens, "cancelled: the host stopped before this row finished"));
            return;
        }
        result.complete(new GeneratedText(completion.text(), java.util.Arrays.copyOf(ids, count),
                completion.reason().openAiName(), completion.promptTokens(), completion.completionTokens(), millis, null));
    }

    @Override
    public void failed(String message) {
        onEnd.run();
        result.complete(GeneratedText.failed(promptTokens, "the model failed: " + message));
    }
}
