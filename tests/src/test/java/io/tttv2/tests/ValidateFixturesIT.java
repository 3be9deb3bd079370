package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Llama family against HuggingFace, through the real distribution: {@code tttv2 validate} on every
 * fixture of the family must pass (prefill logits and hidden states, decode logits, greedy tokens), and
 * its {@code --json} and {@code --dump} outputs must say so.
 */
class ValidateFixturesIT {

    @ParameterizedTest
    @ValueSource(strings = {"llama", "llama-bf16", "llama-sharded", "llama3-rope", "llama3-rope-legacy", "mistral",
            "qwen2", "qwen3"})
    void fixturePassesValidate(String fixture, @TempDir Path out) throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures").resolve(fixture);
        Path json = out.resolve("checks.json");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", dir.toString(),
                "--reference", dir.resolve("reference.safetensors").toString(), "--json", json.toString(),
                "--dump", out.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("all \\d+ checks passed")), run.transcript());

        JsonNode checks = new ObjectMapper().readTree(json.toFile());
        assertTrue(checks.get("passed").asBoolean(), checks.toString());
        // the model and every layer were compared, and tokens were generated with the cache
        int layers = new ObjectMapper().readTree(dir.resolve("config.json").toFile()).get("num_hidden_layers").asInt();
        assertEquals(layers + 1 + 3, checks.get("checks").size(), checks.toString());
        assertTrue(Files.size(out.resolve("outputs.safetensors")) > 0);
    }
}
