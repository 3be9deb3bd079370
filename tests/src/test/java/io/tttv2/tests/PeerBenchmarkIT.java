package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * benchmarks/peer/run, short and bounded (tiny preset, one round, few tokens), so the script does not rot: it
 * installs node-llama-cpp 3.21.1, makes the synthetic checkpoint and its GGUF, runs llama.cpp and tttv2 on the
 * same ids and prints the table. The figures are not checked (a shared machine); that both engines ran and that
 * llama.cpp reads tttv2's GGUF and agrees with the float32 reference are.
 */
class PeerBenchmarkIT {
    @TempDir
    Path dir;

    @Test
    void theShortPeerRunPrintsBothEnginesAndTheirAgreement() throws Exception {
        // the built distribution's launcher, as LauncherRun starts it (./tttv2 would check sources and maybe rebuild)
        Path launcher = dir.resolve("tttv2");
        String flags = System.getProperty("tttv2.jvm.args").trim();
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' "
                + flags + " ${TTTV2_JAVA_OPTS:-} -jar '" + BuiltDistribution.launcherJar() + "' \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path root = BuiltDistribution.root();
        ProcessBuilder builder = new ProcessBuilder(root.resolve("benchmarks/peer/run").toString(), "--preset", "tiny",
                "--formats", "bf16", "--rounds", "1", "--warmup", "0", "--prompt-tokens", "16", "--decode-tokens", "8",
                "--threads", "1", "--work", dir.resolve("work").toString())
                .redirectErrorStream(true);
        builder.environment().put("TTTV2_LAUNCHER", launcher.toString());
        builder.environment().put("TTTV2_PEER_NODE", root.resolve("tests/target/peer-node").toString());
        Process run = builder.start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(run.waitFor(600, TimeUnit.SECONDS), "the peer run did not finish:\n" + output);
        assertEquals(0, run.exitValue(), output);
        List<String> lines = output.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("format bf16: tttv2 on ") && l.endsWith("model-bf16.gguf")), output);
        String prefill = lines.stream().filter(l -> l.trim().startsWith("prefill tokens/s")).findFirst().orElseThrow();
        assertTrue(prefill.trim().matches("prefill tokens/s\\s+[0-9.]+\\s+[0-9.]+\\s+[0-9.]+"), "both engines measured: " + output);
        assertTrue(lines.stream().anyMatch(l -> l.contains("tttv2 yes (") && l.contains("llama.cpp yes (")),
                "both agree with the float32 reference: " + output);
    }
}
