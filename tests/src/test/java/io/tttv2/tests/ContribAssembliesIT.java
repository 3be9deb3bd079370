package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contrib bundles through the real distribution: {@code modules --json} lists them with their tiers and
 * own versions, and the Llama family, with the flash attention or the BLAS device selected by
 * {@code --assembly}, passes {@code tttv2 validate} on every fixture of the family (prefill logits and hidden
 * states, decode logits, greedy tokens) — the chosen candidate confirmed by {@code modules --explain}.
 */
class ContribAssembliesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> SELECTIONS = Map.of(
            "flash", "{\"modules\": {\"attention-backend\": {\"name\": \"tttv2/attention-backend/flash\"}}}",
            "blas", "{\"modules\": {\"device\": {\"name\": \"tttv2/device/blas\"}}}");
    private static final Map<String, String> CHOSEN = Map.of(
            "flash", "tttv2/attention-backend/flash", "blas", "tttv2/device/blas");

    @Test
    void modulesJsonListsBothContribCandidatesWithTheirTiersAndVersions() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "modules", "--json");
        assertEquals(0, run.exitCode(), run.transcript());
        Map<String, String> listed = new TreeMap<>();
        for (JsonNode c : JSON.readTree(String.join("\n", run.out())).get("candidates")) {
            listed.put(c.get("name").asText(), c.get("kind").asText() + " " + c.get("version").asText() + " "
                    + c.get("listedTier").asText() + " " + c.get("status").asText());
        }
        assertEquals("attention-backend 2.0.0 contrib available", listed.get("tttv2/attention-backend/flash"),
                run.transcript());
        assertEquals("device 0.1.0 experimental available", listed.get("tttv2/device/blas"), run.transcript());
        // the core candidates stay the defaults
        assertEquals("attention 1.0.0 core default", listed.get("tttv2/attention/sdpa"), run.transcript());
        assertEquals("device 1.0.0 core default", listed.get("tttv2/device/cpu"), run.transcript());
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({
            "llama, flash", "llama-bf16, flash", "llama-sharded, flash", "llama3-rope, flash",
            "llama3-rope-legacy, flash", "mistral, flash", "qwen2, flash", "qwen3, flash",
            "llama, blas", "llama-bf16, blas", "llama-sharded, blas", "llama3-rope, blas",
            "llama3-rope-legacy, blas", "mistral, blas", "qwen2, blas", "qwen3, blas"})
    void fixturePassesValidateWithTheContribCandidateSelected(String fixture, String selection, @TempDir Path out)
            throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures").resolve(fixture);
        Path assembly = Files.writeString(out.resolve(selection + ".json"), SELECTIONS.get(selection));

        LauncherRun explain = LauncherRun.of(BuiltDistribution.launcherJar(), "modules", "--explain", "--model",
                dir.toString(), "--assembly", assembly.toString());
        assertEquals(0, explain.exitCode(), explain.transcript());
        String chosen = CHOSEN.get(selection);
        assertTrue(explain.out().stream().anyMatch(l -> l.matches("  \\* " + chosen + " .*chosen: the candidate the assembly names")),
                explain.transcript());

        Path json = out.resolve("checks.json");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", dir.toString(),
                "--reference", dir.resolve("reference.safetensors").toString(), "--assembly", assembly.toString(),
                "--json", json.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("all \\d+ checks passed")), run.transcript());
        JsonNode checks = JSON.readTree(json.toFile());
        assertTrue(checks.get("passed").asBoolean(), checks.toString());
        int layers = JSON.readTree(dir.resolve("config.json").toFile()).get("num_hidden_layers").asInt();
        assertEquals(layers + 1 + 3, checks.get("checks").size(), checks.toString());
        assertEquals(List.of(), run.err().stream().filter(l -> l.contains("WARNING") || l.contains("SLF4J")).toList(),
                run.transcript());
    }
}
