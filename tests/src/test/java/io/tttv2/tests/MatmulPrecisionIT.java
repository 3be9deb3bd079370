package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --matmul-precision} on the built distribution: bf16 shows in {@code --dump-config} and --verbose where the
 * CPU has AVX512_BF16, and where it lacks it the command stops in one line, exit 1 (never F32 silently); the default
 * shows as f32. A bad value: one line, exit 2.
 */
class MatmulPrecisionIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Whether this CPU can run the BF16 precision (the flags the native library and the mode need). */
    private static boolean bf16Host() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("flags")) {
                Set<String> flags = Set.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                return flags.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16"));
            }
        }
        return false;
    }

    @Test
    void bf16ShowsInTheDumpOrIsRefusedInOneLine() throws Exception {
        Path dump = dir.resolve("bf16.json");
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "--home", dir.resolve("home").toString(),
                "generate", "--verbose", "--greedy", "--max-tokens", "4", "--matmul-precision", "bf16", "--dump-config",
                dump.toString(), "In the beginning");
        if (bf16Host()) {
            assertEquals(0, run.exitCode(), run.transcript());
            assertEquals("bf16", JSON.readTree(dump.toFile()).get("runner").get("matmulPrecision").asText());
            assertTrue(run.err().stream().anyMatch(l -> l.startsWith("tttv2: matmul precision bf16 ")), run.transcript());
        } else {
            assertEquals(1, run.exitCode(), run.transcript());
            assertTrue(run.err().stream().anyMatch(l -> l.startsWith("tttv2: --matmul-precision bf16: matmul precision bf16"
                    + " needs the native kernels on a CPU with AVX512_BF16: ")), run.transcript());
        }
        Path f32 = dir.resolve("f32.json");
        LauncherRun plain = LauncherRun.of(BuiltDistribution.launcherJar(), "--home", dir.resolve("home").toString(),
                "generate", "--greedy", "--max-tokens", "4", "--dump-config", f32.toString(), "In the beginning");
        assertEquals(0, plain.exitCode(), plain.transcript());
        JsonNode runner = JSON.readTree(f32.toFile()).get("runner");
        assertEquals("f32", runner.get("matmulPrecision").asText(), "the default shows too");
    }

    @Test
    void aBadValueIsOneLineAndExitTwo() throws Exception {
        LauncherRun run = LauncherRun.of(BuiltDistribution.launcherJar(), "--home", dir.resolve("home").toString(),
                "generate", "--matmul-precision", "fp16", "In the beginning");
        assertEquals(2, run.exitCode(), run.transcript());
        assertEquals(List.of("tttv2: --matmul-precision: expected f32 or bf16, found 'fp16'"),
                run.err().stream().filter(l -> l.startsWith("tttv2:")).toList(), run.transcript());
    }
}
