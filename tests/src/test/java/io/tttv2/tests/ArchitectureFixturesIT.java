package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The architectures beside the Llama family — Gemma 1/2/3, OLMo 2, Phi-3, GPT-NeoX, GPT-2, each its own bundle on
 * the model kit — against HuggingFace, through the real distribution: {@code tttv2 validate} on each fixture must
 * pass (prefill logits and hidden states, decode logits, greedy tokens) with the bundle's own assembly and with the
 * flash attention backend selected by {@code --assembly} (confirmed chosen by {@code modules --explain}).
 */
class ArchitectureFixturesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLASH = "tttv2/attention-backend/flash";

    @ParameterizedTest(name = "{0} with the {1} backend")
    @CsvSource({"gemma, default", "gemma, flash", "gemma2, default", "gemma2, flash", "gemma3, default", "gemma3, flash",
            "olmo2, default", "olmo2, flash", "phi3, default", "phi3, flash", "gpt_neox, default", "gpt_neox, flash",
            "gpt2, default", "gpt2, flash", "mixtral, default", "mixtral, flash", "qwen2_moe, default",
            "qwen2_moe, flash", "deepseek_v3, default"})
    void fixturePassesValidate(String fixture, String backend, @TempDir Path out) throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures").resolve(fixture);
        List<String> assembly = new ArrayList<>();
        if (backend.equals("flash")) {
            Path file = Files.writeString(out.resolve("flash.json"),
                    "{\"modules\": {\"attention-backend\": {\"name\": \"" + FLASH + "\"}}}");
            assembly = List.of("--assembly", file.toString());
            List<String> explain = new ArrayList<>(List.of("modules", "--explain", "--model", dir.toString()));
            explain.addAll(assembly);
            LauncherRun chosen = LauncherRun.of(BuiltDistribution.launcherJar(), explain.toArray(String[]::new));
            assertEquals(0, chosen.exitCode(), chosen.transcript());
            assertTrue(chosen.out().stream().anyMatch(l -> l.matches("  \\* " + FLASH + " .*chosen: the candidate the assembly names")),
                    chosen.transcript());
        }

        Path json = out.resolve("checks.json");
        List<String> args = new ArrayList<>(List.of("validate", "--model", dir.toString(),
                "--reference", dir.resolve("reference.safetensors").toString(), "--json", json.toString(),
                "--dump", out.toString()));
        args.addAll(assembly);
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("all \\d+ checks passed")), run.transcript());

        JsonNode checks = JSON.readTree(json.toFile());
        assertTrue(checks.get("passed").asBoolean(), checks.toString());
        // the model and every layer were compared, and tokens were generated with the cache
        JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
        int layers = (config.has("num_hidden_layers") ? config.get("num_hidden_layers") : config.get("n_layer")).asInt();
        assertEquals(layers + 1 + 3, checks.get("checks").size(), checks.toString());
        assertTrue(Files.size(out.resolve("outputs.safetensors")) > 0);
    }

    /**
     * The flash backend reads keys and values of one width from two planes; latent attention attends over one
     * entry per token and reads its values from the latent: asking for flash on DeepSeek-V3 is refused by the
     * resolver in one line that names the variant flash lacks, exit 1, nothing run.
     */
    @Test
    void flashIsRefusedForLatentAttentionInOneLine(@TempDir Path out) throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures/deepseek_v3");
        Path file = Files.writeString(out.resolve("flash.json"),
                "{\"modules\": {\"attention-backend\": {\"name\": \"" + FLASH + "\"}}}");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", dir.toString(),
                "--reference", dir.resolve("reference.safetensors").toString(), "--assembly", file.toString());
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(List.of(), run.out(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).contains("no candidate for attention-backend meets name " + FLASH
                + ", variants causal,latent-values"), run.transcript());
        assertTrue(run.err().get(0).endsWith(FLASH + " 2.0.0: no variant latent-values"), run.transcript());
    }
}
