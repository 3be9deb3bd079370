package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code validate --against} on the Llama fixture in the host: flash attention's backend beside the core SDPA
 * one (the model shares one backend module, {@code model.attention_backend}, across its layers), and every module
 * on the BLAS device beside the CPU device, compared per module path; a candidate that
 * is not installed is one line naming the candidates that would.
 */
class ValidateAgainstIT {

    private static final Path LLAMA = BuiltDistribution.root().resolve("testdata/fixtures/llama");

    private static LauncherRun validate(String against) throws Exception {
        return LauncherRun.of(BuiltDistribution.launcherJar(), "validate", "--model", LLAMA.toString(),
                "--reference", LLAMA.resolve("reference.safetensors").toString(), "--against", against);
    }

    @Test
    void flashAttentionBackendAgainstTheCoreOne() throws Exception {
        LauncherRun run = validate("attention-backend=tttv2/attention-backend/flash");
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> lines = run.out();
        assertTrue(lines.stream().anyMatch(l -> l.matches("Against tttv2/attention-backend/flash [0-9.]+: \\d+ "
                + "attention-backend modules, \\d+ calls, all within tolerance")), run.transcript());
        assertTrue(lines.stream().anyMatch(l -> l.matches("✓ model\\.attention_backend +tttv2/attention-backend/sdpa "
                + "+vs tttv2/attention-backend/flash +\\d+ calls +PCC [0-9.]+ +max abs .*")), run.transcript());
    }

    @Test
    void theBlasDeviceAgainstTheCpuDeviceModuleByModule() throws Exception {
        LauncherRun run = validate("device=tttv2/device/blas");
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.matches("Against tttv2/device/blas [0-9.]+: \\d+ device modules, "
                + "\\d+ calls, all within tolerance")), run.transcript());
        for (String path : List.of("model.embed_tokens", "model.layers.0.self_attn", "model.layers.0.mlp", "lm_head")) {
            assertTrue(run.out().stream().anyMatch(l -> l.startsWith("✓ " + path + " ")), path + "\n" + run.transcript());
        }
    }

    @Test
    void aCandidateNotInstalledIsOneLineWithTheCandidatesThatWould() throws Exception {
        LauncherRun run = validate("attention-backend=acme/attention-backend/missing");
        assertEquals(2, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        String line = run.err().get(0);
        assertTrue(line.contains("acme/attention-backend/missing is not an installed attention-backend candidate that can "
                + "run; candidates that would: "), line);
        assertTrue(line.contains("tttv2/attention-backend/sdpa") && line.contains("tttv2/attention-backend/flash"), line);
        assertFalse(run.transcript().contains("Exception"), run.transcript());
    }
}
