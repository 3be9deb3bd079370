package io.tttv2.cli.generate;

import java.io.Console;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * A progress bar (me.tongfei:progressbar) for work that takes longer than a moment: it appears only if the
 * work is still running after a delay, so quick loads print nothing. Model loading reports no steps, so the
 * bar is indefinite: a moving marker and the elapsed time. The work runs on the calling thread.
 */
final class LoadingProgress {

    private LoadingProgress() {
    }

    /** A bar on stderr when the user watches a terminal; none (null) when output goes to a file or a pipe. */
    static ProgressBarConsumer onTerminal() {
        Console console = System.console();
        return console != null && console.isTerminal() ? new ConsoleProgressBarConsumer(System.err) : null;
    }

    /**
     * Runs {@code work}; if it is still running after {@code delay}, shows an indefinite bar named {@code task}
     * on {@code display} until it ends (and then clears it).
     *
     * @param display where the bar is drawn, or null for no bar
     */
    static <T> T whileRunning(String task, Duration delay, ProgressBarConsumer display, Supplier<T> work) {
        if (display == null) {
            return work.get();
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "tttv2-progress");
            thread.setDaemon(true);
            return thread;
        });
        AtomicReference<ProgressBar> bar = new AtomicReference<>();
        ScheduledFuture<?> show = timer.schedule(() -> bar.set(new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(-1)
                .setUpdateIntervalMillis(100)
                .continuousUpdate()
                .hideEta()
                .clearDisplayOnFinish()
                .setConsumer(display)
                .build()), delay.toMillis(), TimeUnit.MILLISECONDS);
        try {
            return work.get();
        } finally {
            show.cancel(false);
            timer.shutdown();
            try {
                // a bar being created right now is closed below, not left drawing
                timer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ProgressBar shown = bar.get();
            if (shown != null) {
                shown.close();
            }
        }
    }
}
