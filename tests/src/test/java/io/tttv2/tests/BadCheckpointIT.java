package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tttv2.integration.hf.safetensors.Dtype;
import io.tttv2.integration.hf.safetensors.SafetensorsFile;
import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import io.tttv2.integration.hf.safetensors.TensorEntry;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad model folders given to {@code tttv2 validate}: each is one line on stderr naming the file, the key, what
 * was expected and what was found; exit code 1; no stack trace; the JVM does not crash.
 */
class BadCheckpointIT {

    private static final Path LLAMA = BuiltDistribution.root().resolve("testdata/fixtures/llama");
    private static final Path DEEPSEEK = BuiltDistribution.root().resolve("testdata/fixtures/deepseek_v3");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path model;

    @Test
    void truncatedSafetensors() throws Exception {
        copyConfig();
        byte[] bytes = Files.readAllBytes(LLAMA.resolve("model.safetensors"));
        Files.write(model.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertOneLineError(run(), "model.safetensors", "expected");
    }

    @Test
    void corruptHeader() throws Exception {
        copyConfig();
        byte[] bytes = Files.readAllBytes(LLAMA.resolve("model.safetensors"));
        for (int i = 8; i < 40; i++) {
            bytes[i] = '#';
        }
        Files.write(model.resolve("model.safetensors"), bytes);
        assertOneLineError(run(), "model.safetensors", "header");
    }

    @Test
    void missingTensor() throws Exception {
        copyConfig();
        rewriteWeights(LLAMA, name -> !name.equals("model.layers.1.mlp.up_proj.weight"), null);
        assertOneLineError(run(), "model.layers.1.mlp.up_proj.weight", "missing");
    }

    @Test
    void missingLatentAttentionTensor() throws Exception {
        Files.copy(DEEPSEEK.resolve("config.json"), model.resolve("config.json"));
        rewriteWeights(DEEPSEEK, name -> !name.equals("model.layers.1.self_attn.kv_b_proj.weight"), null);
        assertOneLineError(LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", model.toString(),
                "--reference", DEEPSEEK.resolve("reference.safetensors").toString()),
                "model.layers.1.self_attn.kv_b_proj.weight", "missing");
    }

    @Test
    void shapeThatDisagreesWithConfig() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(LLAMA.resolve("config.json").toFile());
        int intermediate = config.get("intermediate_size").asInt();
        config.put("intermediate_size", intermediate + 8);
        JSON.writeValue(model.resolve("config.json").toFile(), config);
        Files.copy(LLAMA.resolve("model.safetensors"), model.resolve("model.safetensors"));
        LauncherRun run = run();
        assertOneLineError(run, "model.layers.0.mlp.gate_proj.weight", "expected [" + (intermediate + 8) + ",");
        assertTrue(run.err().get(0).contains("from config.json"), run.transcript());
    }

    @Test
    void unsupportedArchitecture() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree(LLAMA.resolve("config.json").toFile());
        ArrayNode architectures = config.putArray("architectures");
        architectures.add("GPTJForCausalLM");
        JSON.writeValue(model.resolve("config.json").toFile(), config);
        Files.copy(LLAMA.resolve("model.safetensors"), model.resolve("model.safetensors"));
        assertOneLineError(run(), "config.json", "GPTJForCausalLM");
    }

    @Test
    void unsupportedDtype() throws Exception {
        copyConfig();
        rewriteWeights(LLAMA, name -> true, "model.norm.weight");
        assertOneLineError(run(), "model.norm.weight", "F64");
    }

    @Test
    void missingConfig() throws Exception {
        Files.copy(LLAMA.resolve("model.safetensors"), model.resolve("model.safetensors"));
        assertOneLineError(run(), "config.json", "missing");
    }

    private LauncherRun run() throws IOException, InterruptedException {
        return LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", model.toString(),
                "--reference", LLAMA.resolve("reference.safetensors").toString());
    }

    private static void assertOneLineError(LauncherRun run, String... mentions) {
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), "exactly one line on stderr\n" + run.transcript());
        String line = run.err().get(0);
        assertTrue(line.startsWith("tttv2: "), run.transcript());
        for (String mention : mentions) {
            assertTrue(line.contains(mention), "'" + mention + "' in: " + line);
        }
        assertTrue(run.out().isEmpty(), run.transcript());
    }

    private void copyConfig() throws IOException {
        Files.copy(LLAMA.resolve("config.json"), model.resolve("config.json"));
    }

    /** Rewrites the fixture's weights keeping those {@code keep} accepts; {@code asF64} is stored as F64. */
    private void rewriteWeights(Path fixture, Predicate<String> keep, String asF64) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter();
        try (SafetensorsFile file = SafetensorsFile.open(fixture.resolve("model.safetensors"));
             Arena arena = Arena.ofConfined()) {
            for (TensorEntry e : file.entries()) {
                if (!keep.test(e.name())) {
                    continue;
                }
                if (e.name().equals(asF64)) {
                    float[] values = e.toFloatArray();
                    MemorySegment doubles = arena.allocate(values.length * 8L);
                    for (int i = 0; i < values.length; i++) {
                        doubles.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, i, values[i]);
                    }
                    writer.add(e.name(), Dtype.F64, e.shape(), doubles);
                } else {
                    writer.add(e);
                }
            }
            writer.write(model.resolve("model.safetensors"));
        }
    }
}
