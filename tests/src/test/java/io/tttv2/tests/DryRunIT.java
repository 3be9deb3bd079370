package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --dry-run} on checkpoints without their data: kjv-tiny's config.json and its safetensors file cut right
 * after the header. The plan needs the headers only, so the dry run passes, and a weight whose shape is wrong
 * (rows and columns swapped: the same bytes, so the header stays consistent) fails it naming the tensor.
 */
class DryRunIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path KJV = BuiltDistribution.home().resolve("models/kjv-tiny");
    private static final String WRONG = "model.layers.2.mlp.up_proj.weight";

    @TempDir
    Path dir;

    /** kjv-tiny's header (optionally with {@code tensor}'s shape reversed) and no data section. */
    private Path headerOnly(String tensor) throws Exception {
        return HeaderOnlyCheckpoint.of(KJV, dir.resolve(tensor == null ? "ok" : "wrong"), tensor);
    }

    @Test
    void aCheckpointWithoutDataWouldRun() throws Exception {
        Path model = headerOnly(null);
        Path dump = dir.resolve("plan.json");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--model", model.toString(), "--dry-run",
                "--dump-config", dump.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().get(0).startsWith("Dry run of " + model + " (LlamaForCausalLM): it would run."), run.transcript());
        JsonNode plan = JSON.readTree(dump.toFile());
        assertEquals(6 * 5 + 5, plan.get("modules").size(), "embedding, rotary, backend, 6 × (layer, 2 norms, attention, MLP), norm, head");
        assertEquals("tttv2/mlp/gated", plan.get("modules").get("model.layers.0.mlp").get("candidate").asText());
        assertTrue(plan.get("kvCache").get("bytes").asLong() > 0);
        assertTrue(plan.get("workspaces").get("total").asLong() > 0);
        // the real load of this checkpoint fails: there is no data to map
        LauncherRun load = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--model", model.toString());
        assertEquals(1, load.exitCode(), load.transcript());
    }

    @Test
    void aWrongWeightShapeFailsTheDryRunNamingTheTensor() throws Exception {
        Path model = headerOnly(WRONG);
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "generate", "--model", model.toString(), "--dry-run", "x");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(List.of(), run.out(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertEquals("tttv2: dry run: " + model + " would not run: model.safetensors: tensor '" + WRONG
                + "' has shape [256, 704], expected [704, 256] from config.json", run.err().get(0));
    }

    /** A quantised dry run plans the quantised layout and neither reads the data nor writes a weight cache. */
    @Test
    void aQuantisedDryRunReadsNoDataAndWritesNoCache() throws Exception {
        Path model = headerOnly(null);
        Path cache = dir.resolve("weight-cache");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "bench", "--model", model.toString(), "--dry-run",
                "--quantize", "q8_0", "--weight-cache", cache.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().get(0).startsWith("Dry run of " + model + " (LlamaForCausalLM): it would run."), run.transcript());
        assertTrue(run.err().stream().noneMatch(line -> line.contains("weight cache")), run.transcript());
        assertTrue(!java.nio.file.Files.exists(cache) || java.nio.file.Files.list(cache).findAny().isEmpty(),
                "the dry run wrote into the weight cache " + cache);
    }
}
