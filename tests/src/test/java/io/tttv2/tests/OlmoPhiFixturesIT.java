package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * OLMo 2 and Phi-3 against HuggingFace, through the real distribution: {@code tttv2 validate} on each fixture
 * must pass (prefill logits and hidden states, decode logits, greedy tokens) with the models' own assemblies and
 * with the flash-attention backend selected by {@code --assembly}.
 */
class OlmoPhiFixturesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLASH = "{\"modules\": {\"attention-backend\": {\"name\": \"tttv2/attention-backend/flash\"}}}";

    @ParameterizedTest(name = "{0} with the {1} assembly")
    @CsvSource({"olmo2, default", "phi3, default", "olmo2, flash", "phi3, flash"})
    void fixturePassesValidate(String fixture, String assembly, @TempDir Path out) throws Exception {
        Path dir = BuiltDistribution.root().resolve("testdata/fixtures").resolve(fixture);
        Path json = out.resolve("checks.json");
        List<String> args = new ArrayList<>(List.of("validate", "--model", dir.toString(), "--reference",
                dir.resolve("reference.safetensors").toString(), "--json", json.toString(), "--dump", out.toString()));
        if ("flash".equals(assembly)) {
            args.addAll(List.of("--assembly", Files.writeString(out.resolve("flash.json"), FLASH).toString()));
        }
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("all \\d+ checks passed")), run.transcript());

        JsonNode checks = JSON.readTree(json.toFile());
        assertTrue(checks.get("passed").asBoolean(), checks.toString());
        // the model and every layer were compared, and tokens were generated with the cache
        int layers = JSON.readTree(dir.resolve("config.json").toFile()).get("num_hidden_layers").asInt();
        assertEquals(layers + 1 + 3, checks.get("checks").size(), checks.toString());
        assertTrue(Files.size(out.resolve("outputs.safetensors")) > 0);
    }
}
