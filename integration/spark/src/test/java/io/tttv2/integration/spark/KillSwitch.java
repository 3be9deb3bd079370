package io.tttv2.integration.spark;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Picks the executor to kill: once armed, the first executor that starts a task without having run one before
 * (so it is starting its host and cannot have finished the partition yet). Counts tasks that end in failure.
 */
final class KillSwitch extends SparkListener {

    final CompletableFuture<String> victim = new CompletableFuture<>();
    final AtomicInteger failedTasks = new AtomicInteger();
    private final Set<String> seen = new HashSet<>();
    private volatile boolean armed;

    void arm() {
        armed = true;
    }

    @Override
    public synchronized void onTaskStart(SparkListenerTaskStart start) {
        String executor = start.taskInfo().executorId();
        if (armed && !seen.contains(executor)) {
            victim.complete(executor);
        }
        seen.add(executor);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (armed && !(end.reason() instanceof Success$)) {
            failedTasks.incrementAndGet();
        }
    }
}
