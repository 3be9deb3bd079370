package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tttv2.integration.hf.safetensors.SafetensorsFile;
import io.tttv2.integration.hf.safetensors.SafetensorsWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded model at its own dimensions (hidden 256, 6 layers, 8 heads / 4 KV heads, BF16, a 3-token
 * prompt): a reference file is assembled from HuggingFace's figures in kjv-tiny's training.json (the greedy
 * continuation of each sample prompt with its per-step margins) and reference.safetensors (the first
 * prompt's logits), and {@code tttv2 validate} must pass it.
 */
class ValidateKjvTinyIT {

    private static final Path KJV = BuiltDistribution.home().resolve("models/kjv-tiny");

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4})
    void embeddedModelMatchesHuggingFace(int sample, @TempDir Path dir) throws Exception {
        JsonNode s = new ObjectMapper().readTree(KJV.resolve("training.json").toFile()).get("samples").get(sample);
        long[] prompt = longs(s.get("prompt_ids"));
        long[] generated = longs(s.get("generated_ids"));
        float[] margins = floats(s.get("decode_top2_margin"));
        SafetensorsWriter reference = new SafetensorsWriter()
                .addI64("input_ids", new long[] {1, prompt.length}, prompt)
                .addI64("generated_ids", new long[] {1, generated.length}, generated)
                .addF32("decode_top2_margin", new long[] {1, margins.length}, margins);
        if (sample == 0) {
            try (SafetensorsFile logits = SafetensorsFile.open(KJV.resolve("reference.safetensors"))) {
                float[] values = logits.entry("prompt0_logits").toFloatArray();
                reference.addF32("logits", new long[] {1, prompt.length, values.length / prompt.length}, values);
            }
        }
        Path file = dir.resolve("reference.safetensors");
        reference.write(file);

        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", KJV.toString(),
                "--reference", file.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        String tokens = (generated.length - prompt.length) + "/" + (generated.length - prompt.length) + " tokens equal";
        assertTrue(run.out().stream().anyMatch(l -> l.startsWith("generated_ids") && l.contains(tokens)), run.transcript());
        if (sample == 0) {
            assertTrue(run.out().stream().anyMatch(l -> l.startsWith("logits") && l.endsWith("pass")), run.transcript());
        }
    }

    private static long[] longs(JsonNode array) {
        long[] out = new long[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.get(i).asDouble();
        }
        return out;
    }
}
