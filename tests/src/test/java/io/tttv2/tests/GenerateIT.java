package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tttv2 generate} as users run it, on the built distribution. The acceptance bar: the embedded
 * model's five greedy continuations recorded by HuggingFace in kjv-tiny's training.json are reproduced token
 * for token by {@code generate --greedy --max-tokens 32 PROMPT}. Bad input is one line on stderr and exit
 * code 2 (usage) or 1.
 */
class GenerateIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path KJV = BuiltDistribution.home().resolve("models/kjv-tiny");

    @TempDir
    Path dir;

    private static JsonNode sample(int index) throws IOException {
        return JSON.readTree(KJV.resolve("training.json").toFile()).get("samples").get(index);
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }

    private static LauncherRun generate(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "generate";
        System.arraycopy(args, 0, all, 1, args.length);
        return LauncherRun.of(BuiltDistribution.launcherJar(), all);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void theEmbeddedModelReproducesHuggingFacesGreedyContinuation(int index) throws Exception {
        JsonNode sample = sample(index);
        String prompt = sample.get("prompt").asText();
        LauncherRun run = generate("--json", "--greedy", "--max-tokens", "32", prompt);
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(1, run.out().size(), run.transcript());
        assertEquals(List.of(), run.err(), run.transcript());

        JsonNode result = JSON.readTree(run.out().get(0));
        List<Integer> expected = ints(sample.get("generated_ids"));      // HF's: the prompt, then 32 new tokens
        List<Integer> promptIds = ints(result.get("prompt_ids"));
        List<Integer> all = new ArrayList<>(promptIds);
        all.addAll(ints(result.get("generated_ids")));
        assertEquals(ints(sample.get("prompt_ids")), promptIds, "prompt tokens");
        assertEquals(expected, all, "token for token");
        assertEquals(sample.get("text").asText(), prompt + result.get("text").asText());
        assertEquals("length", result.get("finish_reason").asText());
        JsonNode figures = result.get("figures");
        assertEquals(promptIds.size(), figures.get("prompt_tokens").asInt());
        assertEquals(32, figures.get("generated_tokens").asInt());
        assertTrue(figures.get("prefill_tokens_per_second").asDouble() > 0, run.transcript());
        assertTrue(figures.get("decode_tokens_per_second").asDouble() > 0, run.transcript());
    }

    @Test
    void withoutJsonTheTextStreamsToStdoutAndOneLineOfFiguresEndsOnStderr() throws Exception {
        JsonNode sample = sample(0);
        LauncherRun run = generate("--greedy", "--max-tokens", "32", sample.get("prompt").asText());
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(sample.get("text").asText(), String.join("\n", run.out()), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).matches("3 prompt tokens, 32 generated \\(length\\); prefill [0-9.]+ tokens/s, decode [0-9.]+ tokens/s"),
                run.transcript());
    }

    @Test
    void theSameSeedSamplesTheSameTextAndAStopStringEndsIt() throws Exception {
        String[] args = {"--json", "--temperature", "1.2", "--top-p", "0.95", "--seed", "2024", "--max-tokens", "24", "And it came to pass"};
        LauncherRun first = generate(args);
        LauncherRun again = generate(args);
        assertEquals(0, first.exitCode(), first.transcript());
        JsonNode one = JSON.readTree(first.out().get(0));
        JsonNode two = JSON.readTree(again.out().get(0));
        assertEquals(one.get("generated_ids"), two.get("generated_ids"));
        assertEquals(2024, one.get("seed").asLong());

        LauncherRun stopped = generate("--json", "--greedy", "--stop", "Josiah", "In the beginning");
        assertEquals(0, stopped.exitCode(), stopped.transcript());
        JsonNode result = JSON.readTree(stopped.out().get(0));
        assertEquals(" of the reign of Jehoiakim the son of ", result.get("text").asText());
        assertEquals("stop", result.get("finish_reason").asText());
    }

    // ---- bad input: one line, exit code 2 for usage, 1 for bad files --------------------------------------

    private static void assertOneLine(LauncherRun run, int exitCode, String... fragments) {
        assertEquals(exitCode, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        for (String fragment : fragments) {
            assertTrue(run.err().get(0).contains(fragment), "'" + fragment + "' missing: " + run.transcript());
        }
        assertEquals(List.of(), run.out(), run.transcript());
    }

    @Test
    void anEmptyPromptIsAUsageError() throws Exception {
        assertOneLine(generate(""), 2, "prompt is empty");
    }

    @Test
    void aNegativeTemperatureIsAUsageErrorNamingTheOption() throws Exception {
        assertOneLine(generate("--temperature", "-1", "In the beginning"), 2,
                "--temperature: expected a number >= 0 (0 is greedy), found -1");
    }

    @Test
    void aTopPOutsideItsRangeIsAUsageErrorNamingTheOption() throws Exception {
        assertOneLine(generate("--top-p", "1.5", "In the beginning"), 2, "--top-p: expected a number in (0, 1], found 1.5");
        assertOneLine(generate("--top-p", "0", "In the beginning"), 2, "--top-p");
    }

    @Test
    void aMissingTokenizerIsOneLineNamingTheFile() throws Exception {
        Path model = modelWithout("tokenizer.json");
        assertOneLine(generate("--model", model.toString(), "In the beginning"), 1, model.resolve("tokenizer.json").toString(), "missing");
    }

    @Test
    void aMalformedTokenizerIsOneLineNamingTheFile() throws Exception {
        Path model = modelWithout("tokenizer.json");
        Files.writeString(model.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": ");
        assertOneLine(generate("--model", model.toString(), "In the beginning"), 1, "tokenizer.json");
    }

    @Test
    void aPromptLongerThanTheContextIsOneLine() throws Exception {
        String prompt = "And it came to pass ".repeat(200);     // 1,000 tokens; the context is 512
        assertOneLine(generate(prompt), 1, "longer than the model's context of 512 tokens");
    }

    /** kjv-tiny's files, except {@code missing}, in this test's folder. */
    private Path modelWithout(String missing) throws IOException {
        Path model = Files.createDirectory(dir.resolve("model"));
        try (var files = Files.list(KJV)) {
            for (Path file : files.toList()) {
                if (!file.getFileName().toString().equals(missing)) {
                    Files.copy(file, model.resolve(file.getFileName()));
                }
            }
        }
        return model;
    }
}
