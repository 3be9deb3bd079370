package io.tttv2.integration.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * A real standalone cluster on loopback — a master and two workers, separate JVMs — runs the greedy job; one
 * worker (with its executor) is killed while its first task runs. Spark reruns the lost partitions on the other
 * executor, and the output still holds every row exactly once, each equal to {@code tttv2 generate --greedy}.
 */
class Tttv2SparkClusterTest {

    static final int ROWS = 240;
    static final int PARTITIONS = 4;
    static final int MAX_TOKENS = 12;

    @Test
    void aWorkerKilledMidJobLeavesTheOutputCompleteAndCorrect() throws Exception {
        Path dir = Path.of("target", "spark-cluster").toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);
        try (StandaloneCluster cluster = new StandaloneCluster(dir, 2)) {
            SparkSession spark = SparkSession.builder().master(cluster.masterUrl()).appName("tttv2-cluster-test")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.executor.memory", "1g")
                    .config("spark.executor.cores", "1")
                    .config("spark.cores.max", "2")
                    .config("spark.executor.extraClassPath", cluster.classDirs)
                    .config("spark.executor.extraJavaOptions", System.getProperty("spark.jvm.args", "") + " "
                            + System.getProperty("tttv2.jvm.args", "") + " -XX:+UseSerialGC")
                    .config(ModelRef.HOME_CONF, BuiltDistribution.home().toString())
                    .getOrCreate();
            try {
                awaitExecutors(spark, 2);
                KillSwitch listener = new KillSwitch();
                spark.sparkContext().addSparkListener(listener);
                Dataset<Row> rows = Rows.prompts(spark, ROWS, PARTITIONS, List.of());
                // the model check runs one task: its executor has a host already, the other starts one in its task
                Dataset<Row> out = Tttv2Spark.generate(rows, "prompt", ModelRef.of(BuiltDistribution.kjvTiny().toString()),
                        GenerationOptions.greedy(MAX_TOKENS).withMaxBatch(4));
                listener.arm();
                CompletableFuture<List<Row>> job = CompletableFuture.supplyAsync(out::collectAsList);
                String executor = listener.victim.get(120, TimeUnit.SECONDS);
                int worker = cluster.workerOfExecutor(executor)
                        .orElseThrow(() -> new AssertionError("no worker runs executor " + executor));
                cluster.kill(worker);
                List<Row> result = job.get(180, TimeUnit.SECONDS);

                assertTrue(listener.failedTasks.get() > 0, "the killed executor's running task failed and was rerun");
                assertEquals(ROWS, result.size());
                assertEquals(List.of(), GreedyRows.of(MAX_TOKENS).check(result, ROWS));
            } finally {
                spark.stop();
            }
        }
    }

    /** Until {@code n} executors have registered (the driver counts as one more). */
    private static void awaitExecutors(SparkSession spark, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1) {
            if (System.nanoTime() > end) {
                throw new AssertionError("fewer than " + n + " executors registered within 90 s");
            }
            Thread.sleep(200);
        }
    }

    private static void deleteRecursively(Path dir) throws Exception {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
