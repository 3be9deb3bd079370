package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module validation through the real distribution: {@code validate --modules} on the llama fixture wraps
 * every module the model obtains (the model does nothing to opt in), and its three reports list every
 * module kind the model uses, all passing; the global {@code --validate} flag does the same around any
 * command.
 */
class ValidateModulesIT {

    private static final Set<String> LLAMA_KINDS =
            new TreeSet<>(List.of("attention", "attention-backend", "decoder-layer", "embedding", "lm-head", "mlp", "norm", "rotary"));

    @Test
    void validateModulesWritesReportsOfEveryModuleKindAllPassing(@TempDir Path reports) throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures/llama");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", dir.toString(),
                "--reference", dir.resolve("reference.safetensors").toString(), "--modules", "--report", reports.toString(),
                "--profile");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("all 6 checks passed"), run.transcript());
        // --profile: a pass of its own first, its table printed, its roofline in report.html
        assertTrue(run.out().stream().anyMatch(l -> l.matches("decode +mlp +\\d+ .*")), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("Module validation: 15 modules, \\d+ calls, all passed")),
                run.transcript());

        JsonNode json = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
        assertTrue(json.get("summary").get("passed").asBoolean(), json.get("summary").toString());
        Set<String> kinds = new TreeSet<>();
        json.get("summary").get("kinds").forEach(k -> kinds.add(k.asText()));
        assertEquals(LLAMA_KINDS, kinds);
        List<String> modules = new ArrayList<>();
        for (JsonNode m : json.get("modules")) {
            assertTrue(m.get("passed").asBoolean(), m.toString());
            assertTrue(m.get("calls").asInt() > 0, m.toString());
            modules.add(m.get("module").asText());
        }
        // named by the model's own paths: both layers, their parts, the shared rotary and attention backend, embedding, final norm, head
        for (String name : List.of("model.embed_tokens", "model.rotary_emb", "model.attention_backend", "model.layers.0", "model.layers.1.self_attn",
                "model.layers.1.mlp", "model.layers.0.post_attention_layernorm", "model.norm", "lm_head")) {
            assertTrue(modules.contains(name), name + " in " + modules);
        }
        // prefill and decode were both validated for every configuration the run used
        for (JsonNode kind : json.get("coverage")) {
            for (JsonNode exercised : kind.get("exercised")) {
                assertEquals(0, exercised.get("missing_entries").size(), exercised.toString());
            }
        }
        // the embedded kjv-tiny is installed but was not run: its BF16 configurations were never validated
        assertTrue(json.get("coverage").toString().contains("\"never_validated\":[{\"implementation\":\"tttv2/attention/sdpa\",\"fingerprint\""),
                json.get("coverage").toString());

        List<String> text = Files.readAllLines(reports.resolve("report.txt"));
        assertEquals(15, text.stream().filter(l -> l.startsWith("✓ ")).count(), String.join("\n", text));
        assertFalse(text.stream().anyMatch(l -> l.startsWith("✗ ")), String.join("\n", text));
        String html = Files.readString(reports.resolve("report.html"));
        assertEquals(3, html.split("src=\"data:image/png;base64,", -1).length - 1,
                "the error and speed-up charts and the roofline, inline PNGs");
        assertTrue(html.contains("<h2>Roofline</h2>"));
        assertTrue(html.contains("model.layers.1.self_attn"));
    }

    @Test
    void theGlobalValidateFlagReportsModulesAfterAnyCommand() throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures/qwen3");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "--validate", "bench", "--model", dir.toString(),
                "--prompt-tokens", "5", "--decode-tokens", "2", "--warmup", "0", "--rounds", "1");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.startsWith("decode  2 tokens: ")), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("Module validation: 15 modules, \\d+ calls, all passed")),
                run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.startsWith("✓ model.layers.1.self_attn ")), run.transcript());
    }

    @Test
    void withoutTheFlagNothingIsValidated() throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures/llama");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--model", dir.toString(),
                "--prompt-tokens", "5", "--decode-tokens", "2", "--warmup", "0", "--rounds", "1");
        assertEquals(0, run.exitCode(), run.transcript());
        assertFalse(run.out().stream().anyMatch(l -> l.startsWith("Module validation")), run.transcript());
    }

    @Test
    void failFastStopsAtTheFirstModuleOutOfToleranceNamingIt(@TempDir Path reports) throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures/llama");
        // no error at all allowed for norms: the first norm call (float32 against float64) is out of tolerance
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", dir.toString(),
                "--reference", dir.resolve("reference.safetensors").toString(), "--modules", "--report", reports.toString(),
                "--module-tolerance", "norm=0.99999:0", "--fail-fast");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).startsWith("tttv2: module validation failed (--fail-fast): "
                + "model.layers.0.input_layernorm (norm, tttv2/norm/rms) prefill [12, 64]: PCC "), run.transcript());
        assertTrue(run.err().get(0).contains(" > 0.000e+00 at index "), run.transcript());
    }

    @Test
    void validateModulesReportsTokensPerExpertOfEveryMoeLayer(@TempDir Path reports) throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures/mixtral");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", dir.toString(),
                "--reference", dir.resolve("reference.safetensors").toString(), "--modules", "--report", reports.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().contains("Expert routing (tokens per expert; a token counts once per expert it picked)"),
                run.transcript());

        JsonNode json = new ObjectMapper().readTree(reports.resolve("report.json").toFile());
        assertTrue(json.get("summary").get("passed").asBoolean(), json.get("summary").toString());
        Set<String> kinds = new TreeSet<>();
        json.get("summary").get("kinds").forEach(k -> kinds.add(k.asText()));
        assertTrue(kinds.containsAll(List.of("router", "moe")), kinds.toString());
        List<String> layers = new ArrayList<>();
        for (JsonNode r : json.get("routing")) {
            layers.add(r.get("module").asText());
            long sum = 0;
            for (JsonNode n : r.get("tokens_per_expert")) {
                sum += n.asLong();
            }
            assertEquals(4, r.get("tokens_per_expert").size(), r.toString());
            assertEquals(r.get("routed").asLong(), sum, r.toString());
            assertTrue(sum > 0 && sum % 2 == 0, "two experts per token: " + r);      // num_experts_per_tok 2
        }
        assertEquals(List.of("model.layers.0.block_sparse_moe", "model.layers.1.block_sparse_moe"), layers);
        String html = Files.readString(reports.resolve("report.html"));
        assertTrue(html.contains("<h2>Expert routing</h2>") && html.contains("model.layers.1.block_sparse_moe"));
    }

    @Test
    void aMalformedModuleToleranceIsOneLine() throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures/llama");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", dir.toString(),
                "--reference", dir.resolve("reference.safetensors").toString(), "--modules", "--module-tolerance", "nrom=1:2");
        assertEquals(2, run.exitCode(), run.transcript());
        assertEquals(List.of("tttv2: --module-tolerance nrom=1:2: expected KIND=MIN_PCC:ATOL with KIND one of attention,"
                + " latent-attention, attention-backend, mlp, router, moe, norm, rotary, embedding, position-embedding,"
                + " lm-head, decoder-layer, encoder-attention, encoder-layer, pooler, relative-position-bias, cross-attention,"
                + " biased-attention"
                + " (e.g. norm=0.9999:1e-3)"), run.err(), run.transcript());
    }
}
