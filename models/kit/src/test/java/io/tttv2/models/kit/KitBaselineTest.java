package io.tttv2.models.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.tools.baseline.ApiBaseline;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kit's exported package keeps semantic versions against its last release
 * ({@code cnf/baseline/io.tttv2.models.kit.jar}); model bundles, in this repository or a third party's, import it
 * with a version range that must mean what it says. A failure names the change and the version it needs.
 */
class KitBaselineTest {

    @Test
    void theExportedPackageVersionFollowsItsChangesSinceTheReleasedBaseline() throws Exception {
        Path root = Path.of(System.getProperty("tttv2.root", "../.."));
        List<String> problems = ApiBaseline.problems(Path.of("target/classes"), root.resolve("cnf/baseline/io.tttv2.models.kit.jar"));
        assertEquals(List.of(), problems, "package versions that do not follow the kit's changes:\n" + String.join("\n", problems));
    }
}
