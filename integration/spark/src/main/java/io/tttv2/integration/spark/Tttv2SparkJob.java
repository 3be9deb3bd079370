package io.tttv2.integration.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The job {@code spark-submit} runs (README, "Scale-out on Spark"):
 * <pre>
 * spark-submit --class io.tttv2.integration.spark.Tttv2SparkJob [--master URL] [--archives tttv2.tgz#tttv2] \
 *     io.tttv2.integration.spark-VERSION-spark-job.jar generate|embed --input FILE.parquet|FILE.jsonl \
 *     --output DIR --model DIR [--column NAME] [--partitions N] [--max-tokens N] [--greedy] [--seed S]
 *     [--max-batch N] [--pooling cls|mean|pooler] [--normalize] [--home DIR] [--format parquet|json]
 * </pre>
 * Bad arguments or input: one line on stderr and exit code 2; a failed job: one line and exit code 1.
 */
public final class Tttv2SparkJob {

    private Tttv2SparkJob() {
    }

    /** The parsed command line. */
    record Arguments(String task, String input, String output, String model, String column, int partitions,
                     int maxTokens, boolean greedy, long seed, int maxBatch, String pooling, boolean normalize,
                     String home, String format) {

        static Arguments parse(String[] args) {
            if (args.length == 0 || !List.of("generate", "embed").contains(args[0])) {
                throw new IllegalArgumentException("expected generate or embed first, found "
                        + (args.length == 0 ? "nothing" : "'" + args[0] + "'"));
            }
            String task = args[0];
            String input = null;
            String output = null;
            String model = null;
            String column = null;
            int partitions = 0;
            int maxTokens = 0;
            boolean greedy = false;
            long seed = 0;
            int maxBatch = GenerationOptions.DEFAULT_MAX_BATCH;
            String pooling = "mean";
            boolean normalize = false;
            String home = null;
            String format = "parquet";
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--greedy" -> greedy = true;
                    case "--normalize" -> normalize = true;
                    default -> {
                        if (!a.startsWith("--") || i + 1 >= args.length) {
                            throw new IllegalArgumentException("unknown argument '" + a + "'");
                        }
                        String v = args[++i];
                        switch (a) {
                            case "--input" -> input = v;
                            case "--output" -> output = v;
                            case "--model" -> model = v;
                            case "--column" -> column = v;
                            case "--partitions" -> partitions = integer(a, v, 1);
                            case "--max-tokens" -> maxTokens = integer(a, v, 1);
                            case "--seed" -> seed = Long.parseLong(v);
                            case "--max-batch" -> maxBatch = integer(a, v, 1);
                            case "--pooling" -> pooling = v;
                            case "--home" -> home = v;
                            case "--format" -> format = v;
                            default -> throw new IllegalArgumentException("unknown option '" + a + "'");
                        }
                    }
                }
            }
            for (String[] required : new String[][] {{"--input", input}, {"--output", output}, {"--model", model}}) {
                if (required[1] == null) {
                    throw new IllegalArgumentException(required[0] + ": required");
                }
            }
            if (!List.of("parquet", "json").contains(format)) {
                throw new IllegalArgumentException("--format: expected parquet or json, found '" + format + "'");
            }
            return new Arguments(task, input, output, model, column != null ? column : task.equals("generate") ? "prompt" : "text",
                    partitions, maxTokens, greedy, seed, maxBatch, pooling, normalize, home, format);
        }

        private static int integer(String option, String value, int min) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new IllegalArgumentException(option + ": expected an integer >= " + min + ", found '" + value + "'");
        }
    }

    public static void main(String[] args) {
        Arguments a;
        try {
            a = Arguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("tttv2-spark: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("tttv2 " + a.task()).getOrCreate();
        int code;
        try {
            code = run(spark, a);
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    /** Runs the job; 0 on success, 2 for bad input, 1 if the job failed. */
    static int run(SparkSession spark, Arguments a) {
        Dataset<Row> output;
        try {
            Dataset<Row> input = read(spark, a.input());
            if (a.partitions() > 0) {
                input = input.repartition(a.partitions());
            }
            ModelRef model = new ModelRef(a.model(), a.home());
            output = a.task().equals("generate")
                    ? Tttv2Spark.generate(input, a.column(), model, new GenerationOptions(a.maxTokens(), a.greedy(), Double.NaN,
                            Double.NaN, -1, a.seed(), a.maxBatch()))
                    : Tttv2Spark.embed(input, a.column(), model, new EmbedOptions(a.pooling(), a.normalize()));
        } catch (IllegalArgumentException e) {
            System.err.println("tttv2-spark: " + e.getMessage());
            return 2;
        } catch (RuntimeException e) {          // Spark's AnalysisException for an unreadable input, among others
            System.err.println("tttv2-spark: " + Tttv2Spark.rootMessage(e));
            return 2;
        }
        try {
            var writer = output.write().mode(SaveMode.ErrorIfExists);
            if (a.format().equals("json")) {
                writer.json(a.output());
            } else {
                writer.parquet(a.output());
            }
            return 0;
        } catch (RuntimeException e) {
            System.err.println("tttv2-spark: the job failed: " + Tttv2Spark.rootMessage(e));
            return 1;
        }
    }

    /** A Parquet file or folder, or JSON lines ({@code .jsonl}, {@code .json}). */
    static Dataset<Row> read(SparkSession spark, String input) {
        String lower = input.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".jsonl") || lower.endsWith(".json")) {
            return spark.read().json(input);
        }
        if (lower.endsWith(".parquet")) {
            return spark.read().parquet(input);
        }
        throw new IllegalArgumentException("--input " + input + ": expected a .parquet or .jsonl file, found '"
                + new ArrayList<>(List.of(input.split("\\."))).getLast() + "'");
    }
}
