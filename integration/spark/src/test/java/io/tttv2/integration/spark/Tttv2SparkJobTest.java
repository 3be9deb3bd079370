package io.tttv2.integration.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The spark-submit job's command line: defaults, and one line for each mistake. */
class Tttv2SparkJobTest {

    @Test
    void generateDefaultsToThePromptColumnAndParquet() {
        Tttv2SparkJob.Arguments a = Tttv2SparkJob.Arguments.parse(new String[] {"generate", "--input", "in.jsonl",
                "--output", "out", "--model", "m", "--greedy", "--max-tokens", "8", "--partitions", "4"});
        assertEquals("prompt", a.column());
        assertEquals("parquet", a.format());
        assertEquals(8, a.maxTokens());
        assertEquals(4, a.partitions());
        assertEquals(true, a.greedy());
        assertEquals(GenerationOptions.DEFAULT_MAX_BATCH, a.maxBatch());
    }

    @Test
    void embedDefaultsToTheTextColumnAndMeanPooling() {
        Tttv2SparkJob.Arguments a = Tttv2SparkJob.Arguments.parse(new String[] {"embed", "--input", "in.parquet",
                "--output", "out", "--model", "m", "--normalize"});
        assertEquals("text", a.column());
        assertEquals("mean", a.pooling());
        assertEquals(true, a.normalize());
    }

    @Test
    void mistakesAreOneLine() {
        assertEquals("expected generate or embed first, found 'score'", message("score"));
        assertEquals("expected generate or embed first, found nothing", message());
        assertEquals("--model: required", message("generate", "--input", "a.jsonl", "--output", "o"));
        assertEquals("--partitions: expected an integer >= 1, found '0'",
                message("generate", "--input", "a.jsonl", "--output", "o", "--model", "m", "--partitions", "0"));
        assertEquals("unknown option '--temperatur'",
                message("generate", "--input", "a.jsonl", "--output", "o", "--model", "m", "--temperatur", "1"));
        assertEquals("--format: expected parquet or json, found 'csv'",
                message("generate", "--input", "a.jsonl", "--output", "o", "--model", "m", "--format", "csv"));
    }

    @Test
    void optionsOutOfRangeAreOneLine() {
        assertEquals("maxBatch: expected an integer > 0, found 0",
                assertThrows(IllegalArgumentException.class, () -> GenerationOptions.greedy(4).withMaxBatch(0)).getMessage());
        assertEquals("pooling: expected cls, mean or pooler, found 'max'",
                assertThrows(IllegalArgumentException.class, () -> new EmbedOptions("max", false)).getMessage());
    }

    private static String message(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> Tttv2SparkJob.Arguments.parse(args)).getMessage();
    }
}
