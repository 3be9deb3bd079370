package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encoders (bert) and encoder–decoders (t5) at parity with decoders, on the fixtures through the distribution:
 * {@code --dry-run} from the headers alone (a checkpoint without its data section plans; one reversed weight shape
 * fails naming the tensor), per-module configuration overridden per kind and per path from the assembly (the dump
 * and the fingerprint change, nothing else), and {@code --quantize} with {@code --weight-cache}.
 */
class EncoderConfigIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BERT = BuiltDistribution.root().resolve("testdata/fixtures/bert");
    private static final Path T5 = BuiltDistribution.root().resolve("testdata/fixtures/t5");
    private static final Path WORDPIECE = BuiltDistribution.root().resolve("testdata/fixtures/tokenizers/wordpiece/tokenizer.json");

    @TempDir
    Path dir;

    private static LauncherRun tttv2(String... args) throws Exception {
        return LauncherRun.of(BuiltDistribution.launcherJar(), args);
    }

    @Test
    void bertWithoutDataWouldRun() throws Exception {
        Path model = HeaderOnlyCheckpoint.of(BERT, dir.resolve("bert"), null);
        Path dump = dir.resolve("plan.json");
        LauncherRun run = tttv2("embed", "--model", model.toString(), "--dry-run", "--dump-config", dump.toString(), "hello");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().get(0).startsWith("Dry run of " + model + " (BertModel): it would run."), run.transcript());
        JsonNode plan = JSON.readTree(dump.toFile());
        JsonNode modules = plan.get("modules");
        assertEquals(4 + 2 * 5 + 1, modules.size(), "3 embeddings and their norm, 2 × (layer, attention, 2 norms, MLP), pooler");
        assertEquals("tttv2/mlp/plain", modules.get("encoder.layer.0.mlp").get("candidate").asText());
        assertEquals("tttv2/encoder-attention/sdpa", modules.get("encoder.layer.1.self_attn").get("candidate").asText());
        assertTrue(modules.get("pooler").get("specialization").get("key").asText().startsWith("pooler tttv2/pooler/tanh "),
                modules.get("pooler").toString());
        assertFalse(plan.has("kvCache"), "an encoder has no KV cache");
        // q, k, v and context of one call over the full context, 4 bytes each: 1 × 128 rows × 4 × 64
        assertEquals(4L * 128 * 4 * 64, plan.get("workspaces").get("encoder.layer.0.self_attn").asLong());
        // the real load of this checkpoint fails: there is no data to map
        LauncherRun load = tttv2("validate", "--model", model.toString(), "--reference",
                BERT.resolve("reference.safetensors").toString());
        assertEquals(1, load.exitCode(), load.transcript());
    }

    @Test
    void aWrongBertWeightShapeFailsTheDryRunNamingTheTensor() throws Exception {
        String wrong = "encoder.layer.1.intermediate.dense.weight";
        Path model = HeaderOnlyCheckpoint.of(BERT, dir.resolve("bert-wrong"), wrong);
        LauncherRun run = tttv2("validate", "--model", model.toString(), "--reference",
                BERT.resolve("reference.safetensors").toString(), "--dry-run");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(List.of(), run.out(), run.transcript());
        assertEquals(List.of("tttv2: dry run: " + model + " would not run: model.safetensors: tensor '" + wrong
                + "' has shape [64, 128], expected [128, 64] from config.json"), run.err(), run.transcript());
    }

    @Test
    void t5WithoutDataWouldRunWithItsDecodersKvCache() throws Exception {
        Path model = HeaderOnlyCheckpoint.of(T5, dir.resolve("t5"), null);
        Path dump = dir.resolve("plan.json");
        LauncherRun run = tttv2("generate", "--model", model.toString(), "--dry-run", "--dump-config", dump.toString(), "x");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().get(0).startsWith("Dry run of " + model + " (T5ForConditionalGeneration): it would run."),
                run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.startsWith("  KV cache: 2 layers x 4 kv heads x (16 + 16) x F32")),
                run.transcript());
        JsonNode plan = JSON.readTree(dump.toFile());
        JsonNode modules = plan.get("modules");
        assertEquals("tttv2/cross-attention/sdpa", modules.get("decoder.block.1.layer.1.EncDecAttention").get("candidate").asText());
        assertEquals("tttv2/biased-attention/sdpa", modules.get("decoder.block.0.layer.0.SelfAttention").get("candidate").asText());
        assertEquals("tttv2/encoder-attention/sdpa", modules.get("encoder.block.0.layer.0.SelfAttention").get("candidate").asText());
        assertTrue(modules.get("lm_head").get("specialization").get("key").asText().startsWith("lm-head "), modules.toString());
        // 2 layers × 4 heads × 32 floats per token, 4 bytes, 512 tokens (16 blocks of 32) for one sequence
        assertEquals(2L * 4 * 32 * 4 * 512, plan.get("kvCache").get("bytes").asLong());
        assertTrue(plan.get("workspaces").get("total").asLong() > 0);
    }

    @Test
    void aWrongT5WeightShapeFailsTheDryRunNamingTheTensor() throws Exception {
        String wrong = "decoder.block.0.layer.2.DenseReluDense.wo.weight";
        Path model = HeaderOnlyCheckpoint.of(T5, dir.resolve("t5-wrong"), wrong);
        LauncherRun run = tttv2("generate", "--model", model.toString(), "--dry-run", "x");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(List.of(), run.out(), run.transcript());
        assertEquals(List.of("tttv2: dry run: " + model + " would not run: model.safetensors: tensor '" + wrong
                + "' has shape [128, 64], expected [64, 128] from config.json"), run.err(), run.transcript());
    }

    /** Two loaded bert dumps, without and with overrides: config diff names exactly what the overrides change. */
    @Test
    void bertOverridesPerKindAndPathChangeTheDumpAndTheFingerprint() throws Exception {
        Path plain = validateDump("plain", "{\"modules\": {}}");
        Path tuned = validateDump("tuned", "{\"modules\": {\"mlp\": {\"config\": {\"matmulSplit\": 2}}},"
                + " \"moduleConfig\": {\"encoder.layer.1.self_attn\": {\"prefillChunk\": 64}}}");
        assertEquals(128, JSON.readTree(plain.toFile()).get("modules").get("encoder.layer.1.self_attn").get("config")
                .get("prefillChunk").asInt(), "the context, shorter than the default chunk");
        LauncherRun diff = tttv2("config", "diff", "--json", plain.toString(), tuned.toString());
        assertEquals(1, diff.exitCode(), diff.transcript());
        TreeSet<String> paths = new TreeSet<>();
        JSON.readTree(String.join("\n", diff.out())).forEach(d -> paths.add(d.get("path").asText()));
        TreeSet<String> expected = new TreeSet<>(List.of("/assembly/mlp/config", "/moduleConfig",
                "/modules/encoder.layer.1.self_attn/config/prefillChunk"));
        for (String module : List.of("encoder.layer.0.mlp", "encoder.layer.1.mlp", "encoder.layer.1.self_attn")) {
            expected.addAll(List.of("/modules/" + module + "/fingerprint", "/modules/" + module + "/specialization/key",
                    "/modules/" + module + "/specialization/message"));
        }
        expected.addAll(List.of("/modules/encoder.layer.0.mlp/config/matmulSplit", "/modules/encoder.layer.1.mlp/config/matmulSplit"));
        assertEquals(expected, paths, diff.transcript());
    }

    private Path validateDump(String name, String assembly) throws Exception {
        Path file = Files.writeString(dir.resolve(name + ".assembly.json"), assembly);
        Path dump = dir.resolve(name + ".json");
        LauncherRun run = tttv2("validate", "--model", BERT.toString(), "--reference", BERT.resolve("reference.safetensors").toString(),
                "--assembly", file.toString(), "--dump-config", dump.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        return dump;
    }

    /** t5: a decoder module's path override changes its config and fingerprint only. */
    @Test
    void t5PathOverrideChangesThatModulesConfigAndFingerprint() throws Exception {
        String cross = "decoder.block.1.layer.1.EncDecAttention";
        Path file = Files.writeString(dir.resolve("a.json"), "{\"modules\": {}, \"moduleConfig\": {\"" + cross + "\": {\"matmulSplit\": 3}}}");
        JsonNode plain = t5Plan("plain.json");
        JsonNode tuned = t5Plan("tuned.json", "--assembly", file.toString());
        assertEquals(3, tuned.get("modules").get(cross).get("config").get("matmulSplit").asInt());
        assertNotEquals(plain.get("modules").get(cross).get("fingerprint"), tuned.get("modules").get(cross).get("fingerprint"));
        List<String> same = new ArrayList<>();
        plain.get("modules").fieldNames().forEachRemaining(p -> {
            if (!p.equals(cross) && plain.get("modules").get(p).equals(tuned.get("modules").get(p))) {
                same.add(p);
            }
        });
        assertEquals(plain.get("modules").size() - 1, same.size(), "only " + cross + " changed");
    }

    private JsonNode t5Plan(String name, String... extra) throws Exception {
        Path dump = dir.resolve(name);
        List<String> args = new ArrayList<>(List.of("validate", "--model", T5.toString(), "--reference",
                T5.resolve("reference.safetensors").toString(), "--dry-run", "--dump-config", dump.toString()));
        args.addAll(List.of(extra));
        LauncherRun run = tttv2(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.transcript());
        return JSON.readTree(dump.toFile());
    }

    /** validate --quantize q8_0 on both fixtures: every output against the model as stored reaches issue 12's 0.999. */
    @Test
    void quantisedBertAndT5MatchTheModelAsStored() throws Exception {
        for (Path model : List.of(BERT, T5)) {
            LauncherRun run = tttv2("validate", "--model", model.toString(), "--reference",
                    model.resolve("reference.safetensors").toString(), "--quantize", "q8_0");
            assertEquals(0, run.exitCode(), run.transcript());
            List<String> checks = run.out().stream().filter(l -> l.contains(" q8_0 vs as stored ")).toList();
            assertEquals(model == BERT ? 2 : 3, checks.size(), run.transcript());
            assertTrue(checks.stream().allMatch(l -> l.endsWith("pass")), run.transcript());
        }
        LauncherRun q4 = tttv2("validate", "--model", BERT.toString(), "--reference",
                BERT.resolve("reference.safetensors").toString(), "--quantize", "q4_0");
        assertEquals(0, q4.exitCode(), q4.transcript());
    }

    /**
     * embed --quantize q8_0 --weight-cache: the first run writes the cache, the second maps it and gives the same
     * vectors, which are the unquantised model's within Q8_0's error.
     */
    @Test
    void embedQuantisesThroughTheWeightCache() throws Exception {
        Path model = dir.resolve("bert-wordpiece");
        new RandomBert(2000, 64, 2, 4, 128, 64, true).write(model, 7);
        Files.copy(WORDPIECE, model.resolve("tokenizer.json"));
        Path cache = dir.resolve("cache");
        String[] texts = {"In the beginning God created the heaven and the earth.", "Amen."};
        List<String> first = embed(model, "--quantize", "q8_0", "--weight-cache", cache.toString(), texts[0], texts[1]);
        long files;
        try (Stream<Path> s = Files.walk(cache)) {
            files = s.filter(Files::isRegularFile).count();
        }
        assertTrue(files > 0, "the first run wrote the cache");
        List<String> second = embed(model, "--quantize", "q8_0", "--weight-cache", cache.toString(), texts[0], texts[1]);
        assertEquals(first, second, "mapped from the cache: the same tensors, the same vectors");
        List<String> stored = embed(model, texts[0], texts[1]);
        assertNotEquals(first, stored, "the quantised weights ran");
        for (int t = 0; t < 2; t++) {
            double cos = cosine(JSON.readTree(first.get(t)), JSON.readTree(stored.get(t)));
            assertTrue(cos > 0.999, "text " + t + ": cosine " + cos);
        }
    }

    private static List<String> embed(Path model, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("embed", "--model", model.toString()));
        all.addAll(List.of(args));
        LauncherRun run = tttv2(all.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(2, run.out().size(), run.transcript());
        return run.out();
    }

    private static double cosine(JsonNode a, JsonNode b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i).asDouble() * b.get(i).asDouble();
            na += a.get(i).asDouble() * a.get(i).asDouble();
            nb += b.get(i).asDouble() * b.get(i).asDouble();
        }
        return dot / Math.sqrt(na * nb);
    }
}
