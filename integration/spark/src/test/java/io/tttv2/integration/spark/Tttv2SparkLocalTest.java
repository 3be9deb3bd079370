package io.tttv2.integration.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark in local mode ({@code local[2]}: one JVM, two task threads sharing its one host): a few hundred rows of
 * kjv-tiny, every greedy row equal to what {@code tttv2 generate --greedy} prints for its prompt; embeddings equal
 * to {@code tttv2 embed}'s; bad input refused in one line before the job runs.
 */
class Tttv2SparkLocalTest {

    static final int MAX_TOKENS = 12;
    private static SparkSession spark;

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("tttv2-local-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "3")
                .config(ModelRef.HOME_CONF, BuiltDistribution.home().toString())
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void everyGreedyRowEqualsOfflineGenerateWhateverItsPartitionOrBatch() throws Exception {
        String tooLong = "and ".repeat(600).strip();
        Dataset<Row> rows = Rows.prompts(spark, 300, 3, List.of(RowFactory.create(1000L, tooLong), RowFactory.create(1001L, null)));
        List<Row> out = Tttv2Spark.generate(rows, "prompt", ModelRef.of(BuiltDistribution.kjvTiny().toString()),
                GenerationOptions.greedy(MAX_TOKENS).withMaxBatch(8)).collectAsList();

        assertEquals(302, out.size());
        List<Row> others = GreedyRows.of(MAX_TOKENS).check(out, 300);
        assertEquals(2, others.size());
        for (Row row : others) {
            long id = row.getLong(row.fieldIndex("id"));
            String error = row.getString(row.fieldIndex(OutputColumns.ERROR));
            if (id == 1000L) {
                assertNotNull(error, "a prompt longer than the context is an error column");
                assertTrue(error.contains("context"), error);
                assertTrue(row.isNullAt(row.fieldIndex(OutputColumns.TEXT)));
            } else {
                assertEquals(1001L, id);
                assertEquals("the prompt is null", error);
            }
        }
    }

    @Test
    void embeddingsEqualTheEmbedCommandsVectors(@TempDir Path dir) throws Exception {
        Path model = TinyBert.write(dir.resolve("bert"));
        List<String> texts = List.of("in the beginning god created the heaven and the earth", "amen",
                "and the earth was without form and void", "let there be light", "and there was light");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(RowFactory.create((long) i, texts.get(i % texts.size())));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("text", DataTypes.StringType);
        List<Row> out = Tttv2Spark.embed(spark.createDataFrame(rows, schema).repartition(2), "text",
                ModelRef.of(model.toString()), EmbedOptions.defaults()).collectAsList();
        JsonNode expected = OfflineTruth.shared().embed(model, texts);
        assertEquals(40, out.size());
        for (Row row : out) {
            long id = row.getLong(0);
            List<Float> vector = row.getList(row.fieldIndex(OutputColumns.EMBEDDING));
            JsonNode want = expected.get((int) (id % texts.size()));
            assertEquals(want.size(), vector.size(), "row " + id);
            double max = 0;
            double err = 0;
            for (int i = 0; i < vector.size(); i++) {
                max = Math.max(max, Math.abs(want.get(i).asDouble()));
                err = Math.max(err, Math.abs(want.get(i).asDouble() - vector.get(i)));
            }
            assertTrue(max > 0, "an all-zero vector proves nothing");
            // the same code path; only the batch's padded length differs
            assertTrue(err <= 1e-5 * Math.max(1, max), "row " + id + ": max abs difference " + err);
        }
    }

    @Test
    void aMissingColumnIsOneLineBeforeTheJob() {
        Dataset<Row> rows = Rows.prompts(spark, 4, 1, List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> Tttv2Spark.generate(rows, "text",
                ModelRef.of(BuiltDistribution.kjvTiny().toString()), GenerationOptions.greedy(4)));
        assertEquals("column 'text': not in the input, which has id, prompt", e.getMessage());
    }

    @Test
    void aNonStringColumnIsOneLineBeforeTheJob() {
        Dataset<Row> rows = Rows.prompts(spark, 4, 1, List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> Tttv2Spark.generate(rows, "id",
                ModelRef.of(BuiltDistribution.kjvTiny().toString()), GenerationOptions.greedy(4)));
        assertEquals("column 'id': expected strings, found bigint", e.getMessage());
    }

    @Test
    void anUnreadableModelFolderIsOneLineBeforeTheJob(@TempDir Path dir) throws Exception {
        Dataset<Row> rows = Rows.prompts(spark, 4, 1, List.of());
        Path empty = Files.createDirectories(dir.resolve("empty-model"));
        var e = assertThrows(IllegalArgumentException.class, () -> Tttv2Spark.generate(rows, "prompt",
                ModelRef.of(empty.toString()), GenerationOptions.greedy(4)));
        assertEquals(empty.resolve("config.json") + ": missing (a model folder for generate holds config.json, its weights"
                + " and tokenizer.json)", e.getMessage());

        Path absent = dir.resolve("not-there");
        var e2 = assertThrows(IllegalArgumentException.class, () -> Tttv2Spark.generate(rows, "prompt",
                ModelRef.of(absent.toString()), GenerationOptions.greedy(4)));
        assertTrue(e2.getMessage().startsWith(absent + ": no such model folder on "), e2.getMessage());
    }

    @Test
    void anEncoderGivenToGenerateIsOneLineBeforeTheJob(@TempDir Path dir) throws Exception {
        Path bert = TinyBert.write(dir.resolve("bert"));
        Dataset<Row> rows = Rows.prompts(spark, 4, 1, List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> Tttv2Spark.generate(rows, "prompt",
                ModelRef.of(bert.toString()), GenerationOptions.greedy(4)).collectAsList());
        assertTrue(e.getMessage().contains("BertModel is an encoder"), e.getMessage());
    }
}
