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
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dump-config}, {@code config diff} and the specialization table on the built distribution: two
 * {@code generate} runs with different {@code --assembly} files differ in exactly the fields the second file
 * changes; a table entry for a module's configuration is hit and its knobs run; a stale one is ignored with a message.
 */
class ConfigDumpIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private LauncherRun tttv2(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--home", dir.resolve("home").toString()));
        all.addAll(List.of(args));
        return LauncherRun.of(BuiltDistribution.launcherJar(), all.toArray(String[]::new));
    }

    private JsonNode generate(String name, String assembly) throws Exception {
        Path file = dir.resolve(name + ".assembly.json");
        Files.writeString(file, assembly);
        Path dump = dir.resolve(name + ".json");
        LauncherRun run = tttv2("generate", "--greedy", "--max-tokens", "4", "--assembly", file.toString(),
                "--dump-config", dump.toString(), "In the beginning");
        assertEquals(0, run.exitCode(), run.transcript());
        return JSON.readTree(dump.toFile());
    }

    @Test
    void configDiffNamesExactlyTheFieldsTwoAssembliesChange() throws Exception {
        JsonNode a = generate("a", "{\"modules\": {}}");
        generate("b", "{\"modules\": {\"mlp\": {\"config\": {\"matmulSplit\": 2}}},"
                + " \"moduleConfig\": {\"model.layers.5.mlp\": {\"prefillChunk\": 64}}}");
        assertEquals(6, a.get("model").get("layers").asInt());
        assertEquals(4, a.get("modules").get("model.layers.0.mlp").get("config").get("matmulSplit").asInt(),
                "two workers: four chunks per worker by default");

        LauncherRun diff = tttv2("config", "diff", "--json", dir.resolve("a.json").toString(), dir.resolve("b.json").toString());
        assertEquals(1, diff.exitCode(), diff.transcript());
        TreeSet<String> paths = new TreeSet<>();
        JSON.readTree(String.join("\n", diff.out())).forEach(d -> paths.add(d.get("path").asText()));
        TreeSet<String> expected = new TreeSet<>(List.of("/assembly/mlp/config", "/moduleConfig",
                "/modules/model.layers.5.mlp/config/prefillChunk"));
        for (int l = 0; l < 6; l++) {
            String mlp = "/modules/model.layers." + l + ".mlp";
            expected.addAll(List.of(mlp + "/config/matmulSplit", mlp + "/fingerprint", mlp + "/specialization/key",
                    mlp + "/specialization/message"));
        }
        assertEquals(expected, paths, diff.transcript());

        LauncherRun same = tttv2("config", "diff", dir.resolve("a.json").toString(), dir.resolve("a.json").toString());
        assertEquals(0, same.exitCode(), same.transcript());
        assertEquals(List.of(), same.out());
    }

    @Test
    void theKvKnobsShowInTheDumpAndChangeTheFingerprintsOfWhatReadsTheCache() throws Exception {
        JsonNode a = generate("f32", "{\"modules\": {}}");
        JsonNode b = generate("bf16", "{\"modules\": {\"attention\": {\"config\": {\"kvDtype\": \"BF16\"}},"
                + " \"attention-backend\": {\"config\": {\"kvTile\": 64}}}}");
        JsonNode backendA = a.get("modules").get("model.attention_backend");
        JsonNode backendB = b.get("modules").get("model.attention_backend");
        assertEquals(512, backendA.get("config").get("kvTile").asInt(), "head dim 32: 512 positions fill 128 KiB");
        assertEquals("F32", a.get("kvCache").get("dtype").asText());
        assertEquals(64, backendB.get("config").get("kvTile").asInt());
        assertEquals("BF16", backendB.get("config").get("kvDtype").asText());
        assertEquals("BF16", b.get("modules").get("model.layers.0.self_attn").get("config").get("kvDtype").asText());
        assertEquals("BF16", b.get("assembly").get("attention").get("config").get("kvDtype").asText(), "spelled by name");
        assertEquals("BF16", b.get("kvCache").get("dtype").asText());
        assertEquals(a.get("kvCache").get("bytes").asLong() / 2, b.get("kvCache").get("bytes").asLong());
        assertFalse(backendA.get("fingerprint").equals(backendB.get("fingerprint")));
        assertFalse(a.get("modules").get("model.layers.0.self_attn").get("fingerprint")
                .equals(b.get("modules").get("model.layers.0.self_attn").get("fingerprint")));
        assertEquals(a.get("modules").get("model.layers.0.mlp").get("fingerprint"),
                b.get("modules").get("model.layers.0.mlp").get("fingerprint"), "the MLP does not read the cache");

        Path dump = dir.resolve("option.json");
        LauncherRun run = tttv2("generate", "--greedy", "--max-tokens", "2", "--kv-dtype", "F16", "--dump-config",
                dump.toString(), "In");
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals("F16", JSON.readTree(dump.toFile()).get("kvCache").get("dtype").asText());
        LauncherRun bad = tttv2("generate", "--kv-dtype", "Q4_0", "In");
        assertEquals(2, bad.exitCode(), bad.transcript());
        assertTrue(bad.err().stream().anyMatch(l -> l.contains("--kv-dtype expected one of F32, BF16, F16, found Q4_0")),
                bad.transcript());
    }

    @Test
    void aTableEntryIsHitAndItsKnobsRunAndAStaleOneIsIgnoredWithAMessage() throws Exception {
        JsonNode before = generate("untuned", "{\"modules\": {}}").get("modules").get("model.layers.0.mlp");
        String key = before.get("specialization").get("key").asText();    // "mlp tttv2/mlp/gated 1.0.0 <fp> ctx<=512 cpu/N"
        assertFalse(before.get("specialization").get("hit").asBoolean());
        String[] k = key.split(" ");
        Files.createDirectories(dir.resolve("home"));
        Files.writeString(dir.resolve("home/specializations.json"), "{\"entries\": [{\"kind\": \"mlp\", \"candidate\": \"" + k[1]
                + "\", \"candidateVersion\": \"" + k[2] + "\", \"fingerprint\": \"" + k[3] + "\", \"shapeBucket\": \"" + k[4]
                + "\", \"device\": \"" + k[5] + "\", \"config\": {\"matmulSplit\": 3, \"prefillChunk\": 96}}]}");
        JsonNode tuned = generate("tuned", "{\"modules\": {}}").get("modules").get("model.layers.0.mlp");
        assertTrue(tuned.get("specialization").get("hit").asBoolean(), tuned.toString());
        assertEquals(3, tuned.get("config").get("matmulSplit").asInt());
        assertEquals(96, tuned.get("config").get("prefillChunk").asInt());
        assertEquals(key, tuned.get("specialization").get("key").asText(), "keyed by the untuned configuration");

        Files.writeString(dir.resolve("home/specializations.json"),
                Files.readString(dir.resolve("home/specializations.json")).replace("\"candidateVersion\": \"" + k[2] + "\"",
                        "\"candidateVersion\": \"0.9.0\""));
        JsonNode stale = generate("stale", "{\"modules\": {}}").get("modules").get("model.layers.0.mlp");
        assertFalse(stale.get("specialization").get("hit").asBoolean());
        assertEquals(before.get("config"), stale.get("config"), "defaults used");
        assertTrue(stale.get("specialization").get("message").asText().startsWith("miss: stale entry ignored ("),
                stale.toString());
        assertTrue(stale.get("specialization").get("message").asText().contains("is for " + k[1] + " 0.9.0, running " + k[2]),
                stale.toString());
    }

    @Test
    void aMalformedTableIsOneWarningLineAndDefaultsAreUsed() throws Exception {
        Files.createDirectories(dir.resolve("home"));
        Files.writeString(dir.resolve("home/specializations.json"), "{\"entries\": [{\"kind\": \"warp-drive\"}]}");
        Path dump = dir.resolve("d.json");
        LauncherRun run = tttv2("generate", "--greedy", "--max-tokens", "2", "--dump-config", dump.toString(), "In");
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> warnings = run.err().stream().filter(l -> l.contains("specializations.json")).toList();
        assertEquals(1, warnings.size(), run.transcript());
        assertTrue(warnings.get(0).contains("entries[0].kind expected a module kind, found unknown kind 'warp-drive'"),
                run.transcript());
        assertFalse(JSON.readTree(dump.toFile()).get("modules").get("model.layers.0.mlp").get("specialization").get("hit").asBoolean());
    }
}
