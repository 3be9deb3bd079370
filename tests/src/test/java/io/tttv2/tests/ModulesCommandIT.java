package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code modules --json/--explain/--check}, {@code compat [--json]} and {@code --assembly FILE} as users run
 * them on the built distribution.
 */
class ModulesCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path LLAMA = BuiltDistribution.root().resolve("testdata/fixtures/llama");

    @TempDir
    Path dir;

    @Test
    void modulesJsonListsTheCoreCandidatesAndTheModelWithTiersAndVersions() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "modules", "--json");
        assertEquals(0, run.exitCode(), run.transcript());
        JsonNode root = JSON.readTree(String.join("\n", run.out()));
        Map<String, String> listed = new TreeMap<>();
        for (JsonNode c : root.get("candidates")) {
            listed.put(c.get("name").asText(), c.get("kind").asText() + " " + c.get("version").asText() + " "
                    + c.get("listedTier").asText() + " " + c.get("status").asText());
        }
        for (String core : List.of("tttv2/attention/sdpa", "tttv2/mlp/gated", "tttv2/norm/rms", "tttv2/rotary/rope",
                "tttv2/embedding/token", "tttv2/lm-head/linear", "tttv2/decoder-layer/pre-norm", "tttv2/device/cpu")) {
            String kind = core.split("/")[1];
            assertEquals(kind + " 1.0.0 core " + (core.equals("tttv2/norm/rms") ? "available" : "default"), listed.get(core),
                    run.transcript());
        }
        // every model bundle, with the architectures it runs
        Map<String, List<String>> architectures = new TreeMap<>();
        for (JsonNode c : root.get("candidates")) {
            if (c.get("kind").asText().equals("model")) {
                List<String> variants = new ArrayList<>();
                c.get("variants").forEach(v -> variants.add(v.asText()));
                architectures.put(c.get("name").asText(), variants);
                assertEquals("model 1.0.0 contrib available", listed.get(c.get("name").asText()), run.transcript());
            }
        }
        assertEquals(MODEL_BUNDLES, List.copyOf(architectures.keySet()), run.transcript());
        assertEquals(List.of("LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM"),
                architectures.get("tttv2/model/llama-family"), run.transcript());
        assertEquals(List.of("GPT2LMHeadModel"), architectures.get("tttv2/model/gpt2"), run.transcript());
        assertEquals(0, root.get("rejections").size(), run.transcript());
    }

    @Test
    void checkFindsNoViolationInTheDistributionAndOneInABundleClaimingATierItIsNotCertifiedFor(@TempDir Path copy) throws Exception {
        LauncherRun clean = LauncherRun.of(BuiltDistribution.launcherJar(), "modules", "--check");
        assertEquals(0, clean.exitCode(), clean.transcript());
        assertTrue(clean.out().get(0).startsWith("No violations: "), clean.transcript());

        Path jar = Distributions.copy(copy);
        GeneratedBundle.named("acme.mlp.bluff").header("Provide-Capability",
                "io.tttv2.candidate;name=acme/mlp/bluff;kind=mlp;version:Version=1.0.0;tier=core")
                .writeTo(copy.resolve("bundles"), "acme-mlp-bluff.jar");
        LauncherRun bluff = LauncherRun.of(jar, "modules", "--check");
        assertEquals(1, bluff.exitCode(), bluff.transcript());
        assertEquals(List.of("violation: candidate acme/mlp/bluff 1.0.0 (acme.mlp.bluff/1.0.0) claims tier core without "
                + "functionally-tested, performance-verified; listed as community"), bluff.out(), bluff.transcript());
    }

    @Test
    void explainShowsPerKindTheCandidatesConsideredAndWhy() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "modules", "--explain", "--model",
                BuiltDistribution.root().resolve("testdata/fixtures/mistral").toString());
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> out = run.out();
        assertTrue(out.contains("attention: requires variants gqa,sliding-window, dtype F32"), run.transcript());
        assertTrue(out.contains("norm: requires name tttv2/norm/rms, variants rms, dtype F32"), run.transcript());
        assertTrue(out.stream().anyMatch(l -> l.matches("  - tttv2/norm/layer +1\\.0\\.0 +core +name is not tttv2/norm/rms; no variant rms")),
                run.transcript());
        assertTrue(out.stream().anyMatch(l -> l.matches("  \\* tttv2/norm/rms +1\\.0\\.0 +core +chosen: the candidate the assembly names")),
                run.transcript());
        assertTrue(out.get(out.size() - 1).startsWith("Resolves: every kind has a candidate"), run.transcript());
    }

    @Test
    void explainWithAnAssemblyNoCandidateMeetsSaysWhyAsJson() throws Exception {
        Path assembly = Files.writeString(dir.resolve("future.json"), "{\"modules\": {\"attention\": {\"version\": \"[2.0,3)\"}}}");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "modules", "--explain", "--json", "--model",
                LLAMA.toString(), "--assembly", assembly.toString());
        assertEquals(1, run.exitCode(), run.transcript());
        JsonNode root = JSON.readTree(String.join("\n", run.out()));
        assertFalse(root.get("complete").asBoolean());
        JsonNode attention = null;
        for (JsonNode k : root.get("kinds")) {
            if (k.get("kind").asText().equals("attention")) {
                attention = k;
            }
        }
        assertEquals("version 1.0.0 outside [2.0,3)", attention.get("candidates").get(0).get("reason").asText(), run.transcript());
        assertTrue(attention.get("unresolved").asText().startsWith("no candidate for attention meets version [2.0,3)"), run.transcript());
    }

    @Test
    void aMalformedAssemblyIsOneLineNamingTheFileAndKey() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"modules\": {\"attention\": {\"version\": \"1.0-2\"}}}");
        List<LauncherRun> runs = new ArrayList<>();
        runs.add(LauncherRun.of(BuiltDistribution.launcherJar(), "modules", "--explain", "--model", LLAMA.toString(),
                "--assembly", bad.toString()));
        runs.add(LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", LLAMA.toString(), "--reference",
                LLAMA.resolve("reference.safetensors").toString(), "--assembly", bad.toString()));
        runs.add(LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--assembly", bad.toString()));
        for (LauncherRun run : runs) {
            assertEquals(1, run.exitCode(), run.transcript());
            assertEquals(List.of("tttv2: " + bad + ": key 'modules.attention.version' expected an OSGi version range such as "
                    + "[1.0,2), found '1.0-2'"), run.err(), run.transcript());
        }
    }

    @Test
    void validatePassesWithAnAssemblyPinningTheCoreAttentionAndNamesWhatIsMissingWhenNothingMeetsIt() throws Exception {
        Path pin = Files.writeString(dir.resolve("pin.json"), "{\"model\": \"tttv2/model/llama-family\", \"modules\": "
                + "{\"attention\": {\"name\": \"tttv2/attention/sdpa\", \"version\": \"[1.0,2)\", \"minimumTier\": \"core\"}}}");
        LauncherRun pinned = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", LLAMA.toString(),
                "--reference", LLAMA.resolve("reference.safetensors").toString(), "--assembly", pin.toString());
        assertEquals(0, pinned.exitCode(), pinned.transcript());
        assertTrue(pinned.out().stream().anyMatch(l -> l.matches("all \\d+ checks passed")), pinned.transcript());

        Path none = Files.writeString(dir.resolve("none.json"), "{\"modules\": {\"attention\": {\"minimumTier\": \"core\", "
                + "\"name\": \"acme/attention/missing\"}}}");
        LauncherRun missing = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", LLAMA.toString(),
                "--reference", LLAMA.resolve("reference.safetensors").toString(), "--assembly", none.toString());
        assertEquals(1, missing.exitCode(), missing.transcript());
        assertEquals(List.of("tttv2: no candidate for attention meets name acme/attention/missing, tier core or better, "
                + "variants gqa, dtype F32 (assembly of tttv2/model/llama-family): tttv2/attention/sdpa 1.0.0: name is not "
                + "acme/attention/missing"), missing.err(), missing.transcript());
    }

    /** The model bundles the distribution ships, by candidate name. */
    private static final List<String> MODEL_BUNDLES = List.of("tttv2/model/bert", "tttv2/model/deepseek-v3",
            "tttv2/model/gemma", "tttv2/model/gemma2", "tttv2/model/gemma3", "tttv2/model/gpt-neox",
            "tttv2/model/gpt2", "tttv2/model/llama-family", "tttv2/model/mixtral", "tttv2/model/olmo2",
            "tttv2/model/phi3", "tttv2/model/qwen2-moe", "tttv2/model/t5");

    @Test
    void compatShowsTheMatrixOfModelsAndCandidates() throws Exception {
        LauncherRun table = LauncherRun.of(BuiltDistribution.launcherJar(), "compat");
        assertEquals(0, table.exitCode(), table.transcript());
        // every model bundle is listed, available, its assembly resolving
        List<String> models = table.out().stream().filter(l -> l.startsWith("tttv2/model/")).toList();
        assertEquals(MODEL_BUNDLES, models.stream().map(l -> l.substring(0, l.indexOf(' '))).sorted().toList(),
                table.transcript());
        assertTrue(models.stream().allMatch(l -> l.endsWith("): available; its assembly resolves")), table.transcript());
        assertTrue(models.stream().anyMatch(l -> l.startsWith("tttv2/model/llama-family 1.0.0 (io.tttv2.models.llama/")),
                table.transcript());
        assertTrue(table.out().stream().anyMatch(l -> l.matches("  mlp +tttv2/mlp/plain +1\\.0\\.0 +core +unresolved: name is not tttv2/mlp/gated")),
                table.transcript());

        LauncherRun json = LauncherRun.of(BuiltDistribution.launcherJar(), "compat", "--json");
        assertEquals(0, json.exitCode(), json.transcript());
        JsonNode root = JSON.readTree(String.join("\n", json.out()));
        assertTrue(root.get("allResolve").asBoolean());
        JsonNode llama = null;
        for (JsonNode model : root.get("models")) {
            if (model.get("model").asText().equals("tttv2/model/llama-family")) {
                llama = model;
            }
        }
        assertNotNull(llama, json.transcript());
        Map<String, String> cells = new TreeMap<>();
        for (JsonNode c : llama.get("cells")) {
            cells.put(c.get("candidate").asText() + " " + c.get("version").asText(),
                    c.get("resolved").asBoolean() + " " + c.get("chosen").asBoolean());
        }
        assertEquals("true true", cells.get("tttv2/attention/sdpa 1.0.0"), json.transcript());
        assertEquals("false false", cells.get("tttv2/norm/layer 1.0.0"), json.transcript());
        // the core's candidates of the kinds the Llama family uses (11: no learned positions), the contrib bundles'
        // flash attention backend and BLAS device
        assertEquals(13, cells.size(), json.transcript());
    }
}
