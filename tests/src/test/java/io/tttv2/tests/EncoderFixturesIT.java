package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.integration.hf.safetensors.SafetensorsFile;
import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import io.tttv2.testing.reference.ActivationFunctions;
import io.tttv2.testing.reference.NormReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encoders through the real distribution: {@code validate} on the bert fixture against HF (a padded batch with
 * token types: last_hidden_state, every hidden state, pooler_output), {@code embed} on a BERT checkpoint whose
 * vocabulary matches the wordpiece tokenizer (a batch of texts of different lengths gives each text the vector
 * it gets alone: padding does not leak; truncation to the model's maximum as HF's tokenizer does, or one line
 * without it), {@code generate} refusing an encoder, and {@code bench} on an encoder; then the t5 fixture:
 * {@code validate} (encoder output, teacher-forced logits, greedy decoding with the cache) and {@code generate}
 * reproducing HF's greedy tokens.
 */
class EncoderFixturesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BERT = BuiltDistribution.root().resolve("testdata/fixtures/bert");
    private static final Path WORDPIECE = BuiltDistribution.root().resolve("testdata/fixtures/tokenizers/wordpiece/tokenizer.json");

    @Test
    void bertFixturePassesValidateAndDumpsUnderTheReferenceKeys(@TempDir Path out) throws Exception {
        Path json = out.resolve("checks.json");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", BERT.toString(),
                "--reference", BERT.resolve("reference.safetensors").toString(), "--json", json.toString(),
                "--dump", out.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("all 5 checks passed"), run.transcript());
        JsonNode checks = JSON.readTree(json.toFile());
        assertTrue(checks.get("passed").asBoolean(), checks.toString());
        List<String> metrics = new ArrayList<>();
        checks.get("checks").forEach(c -> metrics.add(c.get("metric").asText()));
        assertEquals(List.of("last_hidden_state", "hidden_states[0]", "hidden_states[1]", "hidden_states[2]", "pooler_output"),
                metrics);
        try (SafetensorsFile dump = SafetensorsFile.open(out.resolve("outputs.safetensors"))) {
            assertEquals(List.of(2L, 12L, 64L), boxed(dump.entry("last_hidden_state").shape()));
            assertEquals(List.of(3L, 2L, 12L, 64L), boxed(dump.entry("hidden_states").shape()));
            assertEquals(List.of(2L, 64L), boxed(dump.entry("pooler_output").shape()));
        }
    }

    @Test
    void embedOfABatchEqualsEmbeddingEachTextAlone(@TempDir Path dir) throws Exception {
        Path model = bertWithTokenizer(dir, 128);
        List<String> texts = List.of("In the beginning God created the heaven and the earth.", "Amen.",
                "And the earth was without form, and void");
        for (String pooling : List.of("mean", "cls", "pooler")) {
            List<String> args = new ArrayList<>(List.of("embed", "--model", model.toString(), "--json", "--pooling", pooling));
            args.addAll(texts);
            JsonNode batch = embed(args);
            assertEquals("BertModel", batch.get("architecture").asText());
            assertEquals(64, batch.get("dimensions").asInt());
            assertEquals(3, batch.get("embeddings").size());
            for (int i = 0; i < texts.size(); i++) {
                JsonNode alone = embed(List.of("embed", "--model", model.toString(), "--json", "--pooling", pooling,
                        texts.get(i)));
                assertClose(alone.get("embeddings").get(0), batch.get("embeddings").get(i), pooling + " text " + i);
            }
        }
    }

    @Test
    void embedTruncatesToTheModelsMaximumOrSaysSoInOneLine(@TempDir Path dir) throws Exception {
        Path model = bertWithTokenizer(dir, 8);
        // twelve single-token words; the model holds 8 positions (the tokenizer adds no special tokens)
        String longText = "in the beginning god the heaven and the earth and the earth";
        JsonNode truncated = embed(List.of("embed", "--model", model.toString(), "--json", longText));
        JsonNode firstEight = embed(List.of("embed", "--model", model.toString(), "--json",
                "in the beginning god the heaven and the"));
        assertClose(firstEight.get("embeddings").get(0), truncated.get("embeddings").get(0), "truncated text");

        LauncherRun refused = LauncherRun.of(BuiltDistribution.launcherJar(), "embed", "--model", model.toString(),
                "--no-truncation", longText);
        assertEquals(1, refused.exitCode(), refused.transcript());
        assertEquals(List.of("tttv2: text 1 is 12 tokens, longer than the model's maximum of 8 (leave out --no-truncation"
                + " to truncate it as HF's tokenizer does)"), refused.err(), refused.transcript());
    }

    @Test
    void generateOnAnEncoderIsOneLinePointingToEmbed(@TempDir Path dir) throws Exception {
        Path model = bertWithTokenizer(dir, 128);
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "generate", "--model", model.toString(), "hello");
        assertEquals(2, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).contains("BertModel is an encoder") && run.err().get(0).contains("tttv2 embed --model"),
                run.transcript());
    }

    @Test
    void benchMeasuresAnEncoderInTextsPerSecond(@TempDir Path dir) throws Exception {
        Path model = bertWithTokenizer(dir, 128);
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--model", model.toString(),
                "--texts", "4", "--text-tokens", "16", "--warmup", "1", "--rounds", "2");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("encode 4 texts of 16 tokens: [\\d,.]+ texts/s, .*")),
                run.transcript());
    }

    @Test
    void benchMeasuresAnEncoderDecoder() throws Exception {
        Path t5 = BuiltDistribution.root().resolve("testdata/fixtures/t5");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--model", t5.toString(),
                "--prompt-tokens", "12", "--decode-tokens", "8", "--warmup", "1", "--rounds", "2");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("encode  12 tokens: [\\d,]+ tokens/s .*")), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("decode  8 tokens: [\\d,]+ tokens/s .*")), run.transcript());
    }

    @Test
    void t5FixturePassesValidate(@TempDir Path out) throws Exception {
        Path t5 = BuiltDistribution.root().resolve("testdata/fixtures/t5");
        Path json = out.resolve("checks.json");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", t5.toString(),
                "--reference", t5.resolve("reference.safetensors").toString(), "--json", json.toString(),
                "--dump", out.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> metrics = new ArrayList<>();
        JSON.readTree(json.toFile()).get("checks").forEach(c -> metrics.add(c.get("metric").asText()));
        assertEquals(List.of("encoder_last_hidden_state", "logits", "decode_logits", "generated_ids"), metrics);
        try (SafetensorsFile dump = SafetensorsFile.open(out.resolve("outputs.safetensors"))) {
            assertEquals(List.of(2L, 9L), boxed(dump.entry("generated_ids").shape()));
            assertEquals(List.of(2L, 6L, 256L), boxed(dump.entry("logits").shape()));
        }
    }

    @Test
    void generateOnT5EncodesThenDecodesHfsGreedyTokens(@TempDir Path dir) throws Exception {
        Path fixture = BuiltDistribution.root().resolve("testdata/fixtures/t5");
        Path model = Files.createDirectories(dir.resolve("t5"));
        for (String file : List.of("config.json", "generation_config.json", "model.safetensors")) {
            Files.copy(fixture.resolve(file), model.resolve(file));
        }
        // a tokenizer whose token "wN" is id N, so the prompt is the fixture's input_ids row 0 exactly
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            vocab.append(i == 0 ? "" : ", ").append("\"w").append(i).append("\": ").append(i);
        }
        Files.writeString(model.resolve("tokenizer.json"), """
                {"version": "1.0", "truncation": null, "padding": null, "added_tokens": [], "normalizer": null,
                 "pre_tokenizer": {"type": "WhitespaceSplit"}, "post_processor": null, "decoder": null,
                 "model": {"type": "WordPiece", "unk_token": "w2", "continuing_subword_prefix": "##",
                           "max_input_chars_per_word": 100, "vocab": {%s}}}
                """.formatted(vocab));
        List<Long> prompt;
        List<Long> expected;
        try (SafetensorsFile ref = SafetensorsFile.open(fixture.resolve("reference.safetensors"))) {
            prompt = java.util.Arrays.stream(ref.entry("input_ids").toLongArray()).limit(12).boxed().toList();
            expected = java.util.Arrays.stream(ref.entry("generated_ids").toLongArray()).skip(1).limit(8).boxed().toList();
        }
        String text = String.join(" ", prompt.stream().map(id -> "w" + id).toList());
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "generate", "--model", model.toString(),
                "--json", "--greedy", "--max-tokens", "8", text);
        assertEquals(0, run.exitCode(), run.transcript());
        JsonNode result = JSON.readTree(run.out().get(0));
        List<Long> generated = new ArrayList<>();
        result.get("generated_ids").forEach(id -> generated.add(id.asLong()));
        assertEquals(expected, generated, run.transcript());
        assertEquals(String.join(" ", expected.stream().map(id -> "w" + id).toList()), result.get("text").asText());
    }

    /**
     * BertForMaskedLM: validate's dumped logits are the head (dense, gelu, LayerNorm, tied decoder + bias) over its
     * dumped last hidden state, recomputed here in float64 from the checkpoint's weights — at every position of a
     * batch with padding. There are no HF logits for a random checkpoint: the reference's are zeros, which validate
     * must find wrong.
     */
    @Test
    void maskedLmLogitsAreTheHeadOverTheLastHiddenState(@TempDir Path dir) throws Exception {
        int vocab = 100, hidden = 32, batch = 2, seq = 6;
        Path model = dir.resolve("bert-mlm");
        new RandomBert(vocab, hidden, 2, 4, 64, 16, false).write(model, 11, true);
        long[] ids = {2, 17, 45, 9, 88, 3, 2, 51, 6, 3, 0, 0};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0};
        Path reference = dir.resolve("reference.safetensors");
        new SafetensorsWriter().metadata("format", "pt")
                .addI64("input_ids", new long[] {batch, seq}, ids)
                .addI64("attention_mask", new long[] {batch, seq}, mask)
                .addF32("logits", new long[] {batch, seq, vocab}, new float[batch * seq * vocab])
                .write(reference);
        Path out = dir.resolve("out");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", model.toString(),
                "--reference", reference.toString(), "--dump", out.toString());
        // the reference's logits are zeros, there only to be compared: the check must fail, the dump is written anyway
        assertEquals(1, run.exitCode(), run.transcript());
        assertTrue(run.transcript().contains("logits"), run.transcript());
        float[] last;
        float[] logits;
        try (SafetensorsFile dump = SafetensorsFile.open(out.resolve("outputs.safetensors"))) {
            last = dump.entry("last_hidden_state").requireShape("dump", batch, seq, hidden).toFloatArray();
            logits = dump.entry("logits").requireShape("dump", batch, seq, vocab).toFloatArray();
        }
        double[] expected;
        try (SafetensorsFile w = SafetensorsFile.open(model.resolve("model.safetensors"))) {
            int rows = batch * seq;
            double[] x = new double[last.length];
            for (int i = 0; i < x.length; i++) {
                x[i] = last[i];
            }
            double[] dense = linear(x, rows, w.entry("cls.predictions.transform.dense.weight").toFloatArray(),
                    w.entry("cls.predictions.transform.dense.bias").toFloatArray(), hidden, hidden);
            for (int i = 0; i < dense.length; i++) {
                dense[i] = ActivationFunctions.apply(Activation.GELU, dense[i]);
            }
            double[] normed = new NormReference(new NormSpec(hidden, NormSpec.NormKind.LAYER, 1e-12f, 0f, true),
                    w.entry("cls.predictions.transform.LayerNorm.weight").toFloatArray(),
                    w.entry("cls.predictions.transform.LayerNorm.bias").toFloatArray()).apply(dense, rows);
            expected = linear(normed, rows, w.entry("bert.embeddings.word_embeddings.weight").toFloatArray(),
                    w.entry("cls.predictions.bias").toFloatArray(), vocab, hidden);
        }
        double max = 0, err = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - logits[i]));
        }
        System.out.println("BertForMaskedLM logits vs float64 head: max abs error " + err + ", largest |logit| " + max);
        assertTrue(max > 0.1, "logits this small prove nothing: " + max);
        assertTrue(err <= 1e-4 * max, "max abs difference " + err + " (largest logit " + max + ")");
    }

    /** x [rows, in] · wᵀ [in, out] + bias, in float64. */
    private static double[] linear(double[] x, int rows, float[] w, float[] bias, int out, int in) {
        double[] y = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double sum = bias[o];
                for (int i = 0; i < in; i++) {
                    sum += x[r * in + i] * w[o * in + i];
                }
                y[r * out + o] = sum;
            }
        }
        return y;
    }

    /** A random BertModel with the wordpiece tokenizer's vocabulary (2000) and its tokenizer.json beside it. */
    private static Path bertWithTokenizer(Path dir, int maxPositions) throws Exception {
        Path model = dir.resolve("bert-wordpiece");
        new RandomBert(2000, 64, 2, 4, 128, maxPositions, true).write(model, 7);
        Files.copy(WORDPIECE, model.resolve("tokenizer.json"));
        return model;
    }

    private static JsonNode embed(List<String> args) throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(1, run.out().size(), run.transcript());
        return JSON.readTree(run.out().get(0));
    }

    /** Equal up to float rounding of a different batch shape: 1e-5 of the vector's largest value. */
    private static void assertClose(JsonNode expected, JsonNode actual, String what) {
        assertEquals(expected.size(), actual.size(), what);
        double max = 0, err = 0;
        for (int i = 0; i < expected.size(); i++) {
            max = Math.max(max, Math.abs(expected.get(i).asDouble()));
            err = Math.max(err, Math.abs(expected.get(i).asDouble() - actual.get(i).asDouble()));
        }
        assertTrue(max > 0, what + ": an all-zero vector proves nothing");
        assertTrue(err <= 1e-5 * Math.max(1, max), what + ": max abs difference " + err + " (largest value " + max + ")");
    }

    private static List<Long> boxed(long[] shape) {
        return java.util.Arrays.stream(shape).boxed().toList();
    }
}
