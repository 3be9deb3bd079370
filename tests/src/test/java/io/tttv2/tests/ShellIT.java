package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tttv2 shell}: the Apache Felix Gogo shell (runtime, command, jline from Central) resolves and runs
 * on Java 25 in the host, and bundles can be installed, listed and uninstalled in the running host, with
 * tttv2 commands seeing the change.
 */
class ShellIT {

    @Test
    void theGogoShellRunsInTheHostAndInstallsAndUninstallsBundles(@TempDir Path dir) throws Exception {
        Path jar = ExampleBundles.declaringCandidate("acme.mlp.shell", "acme/mlp/shell", "1.0.0").writeTo(dir, "acme-mlp-shell.jar");
        String input = String.join("\n",
                "lb",
                "tttv2 modules --check",
                "install " + jar.toUri(),
                "tttv2 modules",
                "uninstall acme.mlp.shell",
                "tttv2 modules",
                "exit 0") + "\n";
        LauncherRun run = LauncherRun.withInput(BuiltDistribution.launcherJar(), input, "shell");
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> out = run.out();
        for (String gogo : List.of("Apache Felix Gogo Runtime", "Apache Felix Gogo Command", "Apache Felix Gogo JLine Shell",
                "JLine Bundle")) {
            assertTrue(out.stream().anyMatch(l -> l.contains("|Active ") && l.contains(gogo)), gogo + " not active:\n" + run.transcript());
        }
        assertTrue(out.stream().anyMatch(l -> l.contains("No violations: ")), run.transcript());
        // listed once, between its install and its uninstall
        assertEquals(1, out.stream().filter(l -> l.contains("acme/mlp/shell ") && l.contains("acme.mlp.shell/1.0.0")).count(),
                run.transcript());
        assertTrue(run.err().stream().noneMatch(l -> l.contains("Exception")), run.transcript());
    }

    @Test
    void aDistributionWithoutItsShellBundlesSaysSoInOneLine(@TempDir Path copy) throws Exception {
        Path jar = Distributions.copy(copy);
        for (Path shellJar : BuiltDistribution.shellBundles()) {
            java.nio.file.Files.delete(copy.resolve("shell").resolve(shellJar.getFileName()));
        }
        LauncherRun run = LauncherRun.of(jar, "shell");
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(List.of("tttv2: " + copy.resolve("shell") + ": holds no bundle jars: the distribution is incomplete, "
                + "rebuild it (./tttv2 --rebuild)"), run.err(), run.transcript());
    }
}
