package io.tttv2.integration.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * TTTv2 on Apache Spark: generation and embeddings over a Dataset's rows. Each executor JVM runs one embedded
 * host over the distribution (see {@link ModelRef}), loads each model once and feeds every partition through
 * it in batches; the rows come back with new columns. Everything that can be checked before the job runs — the
 * column, its type, the model folder — is checked when these methods are called, and refused in one line
 * ({@link IllegalArgumentException}); a row that cannot run (a prompt too long for the context) gets an
 * {@code error} column, not a failed job.
 */
public final class Tttv2Spark {

    private Tttv2Spark() {
    }

    /**
     * Continues each row's prompt.
     *
     * @return the rows with {@code generated_text}, {@code generated_ids}, {@code finish_reason},
     *         {@code prompt_tokens}, {@code completion_tokens}, {@code generation_millis} and {@code error}
     */
    public static Dataset<Row> generate(Dataset<Row> rows, String promptColumn, ModelRef model, GenerationOptions options) {
        int index = stringColumn(rows.schema(), promptColumn);
        ModelRef resolved = withHome(rows.sparkSession(), model);
        StructType schema = OutputColumns.appended(rows.schema(), OutputColumns.generation());
        checkModel(rows.sparkSession(), resolved, "generate");
        return rows.mapPartitions(new GeneratePartition(resolved, index, options), Encoders.row(schema));
    }

    /**
     * Embeds each row's text.
     *
     * @return the rows with {@code embedding} (float[hidden]), {@code embedding_tokens} and {@code error}
     */
    public static Dataset<Row> embed(Dataset<Row> rows, String textColumn, ModelRef model, EmbedOptions options) {
        int index = stringColumn(rows.schema(), textColumn);
        ModelRef resolved = withHome(rows.sparkSession(), model);
        StructType schema = OutputColumns.appended(rows.schema(), OutputColumns.embedding());
        checkModel(rows.sparkSession(), resolved, "embed");
        return rows.mapPartitions(new EmbedPartition(resolved, index, options), Encoders.row(schema));
    }

    /** The index of {@code column}, which must exist and hold strings. */
    static int stringColumn(StructType schema, String column) {
        List<String> names = List.of(schema.fieldNames());
        if (!names.contains(column)) {
            throw new IllegalArgumentException("column '" + column + "': not in the input, which has " + String.join(", ", names));
        }
        StructField field = schema.apply(column);
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new IllegalArgumentException("column '" + column + "': expected strings, found " + field.dataType().simpleString());
        }
        return schema.fieldIndex(column);
    }

    private static ModelRef withHome(SparkSession spark, ModelRef model) {
        if (model.home() != null) {
            return model;
        }
        return new ModelRef(model.modelDirectory(), spark.conf().get(ModelRef.HOME_CONF, ModelRef.DEFAULT_HOME));
    }

    /**
     * The model folder as the driver sees it (when it sees it: the files a model needs), then as an executor sees
     * it: one task starts that executor's host and asks it whether it runs this model for {@code task}.
     */
    private static void checkModel(SparkSession spark, ModelRef model, String task) {
        Path local = Path.of(model.modelDirectory());
        if (local.isAbsolute() && Files.isDirectory(local)) {
            for (String file : List.of("config.json", "tokenizer.json")) {
                Path p = local.resolve(file);
                if (!Files.isReadable(p)) {
                    throw new IllegalArgumentException(p + ": " + (Files.exists(p) ? "not readable" : "missing")
                            + " (a model folder for " + task + " holds config.json, its weights and tokenizer.json)");
                }
            }
        }
        List<String> problems;
        try {
            problems = spark.range(0, 1, 1, 1).mapPartitions(new ModelCheck(model, task), Encoders.STRING()).collectAsList();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("tttv2: checking the model on an executor failed: " + rootMessage(e), e);
        }
        if (!problems.isEmpty() && problems.get(0) != null) {
            throw new IllegalArgumentException(problems.get(0));
        }
    }

    /** The innermost message of a failure (a Spark job failure wraps the task's). */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    /** On one executor: null if its host runs the model for the task, else the one line saying why not. */
    private record ModelCheck(ModelRef model, String task) implements MapPartitionsFunction<Long, String> {
        @Override
        public java.util.Iterator<String> call(java.util.Iterator<Long> ignored) {
            String problem;
            try {
                Path directory = ExecutorHost.resolve(model.modelDirectory());
                if (!Files.isDirectory(directory)) {
                    problem = directory + ": no such model folder on " + ExecutorHost.hostName()
                            + " (every executor must read it: a shared path, or ship it with --archives)";
                } else {
                    problem = ExecutorHost.jobs(model.home()).check(directory.toString(), task);
                }
            } catch (RuntimeException e) {
                problem = e.getMessage();
            }
            return java.util.Collections.singletonList(problem).iterator();
        }
    }
}
