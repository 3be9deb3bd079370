package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tttv2 synth} writes a checkpoint the host loads and generates from; {@code bench --json} runs given
 * ids; {@code --weight-cache} keeps --quantize's matrices, and a torn cache file is a notice, not a wrong result.
 */
class SynthIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void synth() throws Exception {
        model = dir.resolve("tiny");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "synth", "--preset", "tiny", "--out",
                model.toString(), "--seed", "3");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().get(0).startsWith("wrote " + model + ": tiny (LlamaForCausalLM), 2 layers, vocab 4096"),
                run.transcript());
    }

    @Test
    void theSyntheticCheckpointLoadsAndGenerates() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "generate", "--model", model.toString(),
                "--json", "--greedy", "--max-tokens", "12", "In the beginning");
        assertEquals(0, run.exitCode(), run.transcript());
        JsonNode result = JSON.readTree(run.out().get(0));
        int generated = result.get("generated_ids").size();
        assertTrue(generated >= 1 && generated <= 12, run.transcript());
        if (generated < 12) {
            assertEquals("stop", result.get("finish_reason").asText(), run.transcript());   // the tokenizer's EOS, id 0
        }
    }

    private static JsonNode bench(String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("bench", "--model", model.toString(), "--prompt-ids",
                "5,900,17,4000,33", "--decode-tokens", "6", "--warmup", "0", "--rounds", "1", "--json"));
        args.addAll(List.of(extra));
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.transcript());
        return JSON.readTree(run.out().get(run.out().size() - 1));
    }

    @Test
    void benchJsonRunsTheGivenIdsAndReportsGreedyTokensWithMargins() throws Exception {
        JsonNode first = bench();
        assertEquals(5, first.get("prompt_tokens").asInt());
        assertEquals(7, first.get("tokens").size(), "the prefill's token and 6 decoded");
        assertEquals(7, first.get("margins").size());
        assertTrue(first.get("first_token_ms").asLong() > 0);
        // the start-up phases before it, all counted from the process's start but the host's own duration
        long host = first.get("host_ms").asLong();
        long loaded = first.get("loaded_ms").asLong();
        assertTrue(host > 0 && loaded > host && first.get("first_token_ms").asLong() >= loaded, first.toString());
        assertTrue(first.get("peak_rss_kib").asLong() > 0);
        assertEquals(first.get("tokens"), bench().get("tokens"), "greedy tokens are deterministic");
        LauncherRun bad = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--model", model.toString(),
                "--prompt-ids", "5,4096", "--json");
        assertEquals(2, bad.exitCode(), bad.transcript());
        assertEquals(List.of("tttv2: --prompt-ids expected ids in 0 .. 4095 (the model's vocabulary), found 4096"), bad.err());
    }

    @Test
    void theWeightCacheIsWrittenOnceUsedThenAndATornFileIsRebuilt() throws Exception {
        Path cache = dir.resolve("weight-cache");
        JsonNode converted = bench("--quantize", "q8_0", "--weight-cache", cache.toString());
        Path file;
        try (Stream<Path> files = Files.list(cache)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            file = all.get(0);
        }
        long size = Files.size(file);
        JsonNode cached = bench("--quantize", "q8_0", "--weight-cache", cache.toString());
        assertEquals(converted.get("tokens"), cached.get("tokens"));
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
            f.truncate(size / 2);
        }
        LauncherRun torn = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--model", model.toString(),
                "--prompt-ids", "5,900,17,4000,33", "--decode-tokens", "6", "--warmup", "0", "--rounds", "1", "--json",
                "--quantize", "q8_0", "--weight-cache", cache.toString());
        assertEquals(0, torn.exitCode(), torn.transcript());
        assertEquals(converted.get("tokens"), JSON.readTree(torn.out().get(torn.out().size() - 1)).get("tokens"));
        assertTrue(torn.err().stream().anyMatch(l -> l.startsWith("weight cache " + file) && l.contains("torn")),
                torn.transcript());
        assertEquals(size, Files.size(file), "rebuilt");
    }

    @Test
    void badSynthArgumentsAreOneLine() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "synth", "--preset", "llama-7b", "--out",
                dir.resolve("x").toString());
        assertEquals(2, run.exitCode(), run.transcript());
        assertEquals(List.of("tttv2: --preset expected one of llama-3.2-1b, qwen2.5-0.5b, tinyllama-1.1b, tiny, found 'llama-7b'"),
                run.err());
        LauncherRun vocab = LauncherRun.of(BuiltDistribution.launcherJar(), "synth", "--preset", "tiny", "--vocab", "100",
                "--out", dir.resolve("y").toString());
        assertEquals(2, vocab.exitCode(), vocab.transcript());
        assertEquals(List.of("tttv2: --vocab expected 4096 .. 1048576 (the tokenizer's ids must have rows), found 100"),
                vocab.err());
    }
}
