package io.tttv2.integration.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Rows per second of greedy generation at several partition counts, on one machine (scripts/spark-bench.sh):
 * <pre>
 * Tttv2SparkBench --home DIR [--model DIR] [--master local[4]] [--rows 256] [--max-tokens 16] [--partitions 1,2,4]
 *                 [--rounds 3] [--max-batch 16]
 * </pre>
 * Each partition count runs {@code --rounds} times, counts interleaved (1, 2, 4, 1, 2, 4, …) so the machine's load
 * falls on all alike; the median is printed. A warm-up run first starts the host and loads the model.
 */
public final class Tttv2SparkBench {

    private Tttv2SparkBench() {
    }

    public static void main(String[] args) {
        String home = null;
        String model = null;
        String master = "local[4]";
        int rows = 256;
        int maxTokens = 16;
        int rounds = 3;
        int maxBatch = GenerationOptions.DEFAULT_MAX_BATCH;
        int[] partitions = {1, 2, 4};
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--home" -> home = v;
                case "--model" -> model = v;
                case "--master" -> master = v;
                case "--rows" -> rows = Integer.parseInt(v);
                case "--max-tokens" -> maxTokens = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--max-batch" -> maxBatch = Integer.parseInt(v);
                case "--partitions" -> partitions = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                default -> {
                    System.err.println("tttv2-spark-bench: unknown option '" + args[i] + "'");
                    System.exit(2);
                }
            }
        }
        if (home == null) {
            System.err.println("tttv2-spark-bench: --home DIR (the distribution, launcher/distribution/target/tttv2) is required");
            System.exit(2);
        }
        String modelDir = model != null ? model : Path.of(home, "models", "kjv-tiny").toString();
        SparkSession spark = SparkSession.builder().master(master).appName("tttv2-spark-bench")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            ModelRef ref = new ModelRef(modelDir, home);
            GenerationOptions options = GenerationOptions.greedy(maxTokens).withMaxBatch(maxBatch);
            run(spark, ref, options, Math.min(rows, 32), partitions[partitions.length - 1]);       // warm-up
            long[][] nanos = new long[partitions.length][rounds];
            long tokens = 0;
            for (int r = 0; r < rounds; r++) {
                for (int p = 0; p < partitions.length; p++) {
                    long start = System.nanoTime();
                    tokens = run(spark, ref, options, rows, partitions[p]);
                    nanos[p][r] = System.nanoTime() - start;
                }
            }
            System.out.printf("%d rows of greedy generation (at most %d tokens each, %d generated in all), %s, max batch %d,"
                    + " %d cores, median of %d rounds:%n", rows, maxTokens, tokens, master, maxBatch,
                    Runtime.getRuntime().availableProcessors(), rounds);
            for (int p = 0; p < partitions.length; p++) {
                long[] sorted = nanos[p].clone();
                Arrays.sort(sorted);
                double seconds = sorted[sorted.length / 2] / 1e9;
                System.out.printf("  %d partition%s: %.1f rows/s, %.0f tokens/s (%.2f s)%n", partitions[p],
                        partitions[p] == 1 ? "" : "s", rows / seconds, tokens / seconds, seconds);
            }
        } finally {
            spark.stop();
        }
    }

    /** One job over {@code n} rows in {@code partitions} partitions; the tokens generated in all. */
    private static long run(SparkSession spark, ModelRef model, GenerationOptions options, int n, int partitions) {
        List<Row> rows = new ArrayList<>(n);
        String[] openings = {"In the beginning", "And God said", "The LORD is my shepherd", "Blessed are the",
                "And it came to pass", "Thus saith the LORD", "For God so loved", "Let there be"};
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create((long) i, openings[i % openings.length] + " " + i));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("prompt", DataTypes.StringType);
        Dataset<Row> input = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, partitions), schema);
        List<Row> out = Tttv2Spark.generate(input, "prompt", model, options).collectAsList();
        long tokens = 0;
        for (Row r : out) {
            tokens += r.getInt(r.fieldIndex(OutputColumns.COMPLETION_TOKENS));
        }
        return tokens;
    }
}
