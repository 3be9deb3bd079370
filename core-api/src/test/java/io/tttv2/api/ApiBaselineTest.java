package io.tttv2.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.tools.baseline.ApiBaseline;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Semantic versions enforced: every package this bundle exports has moved its version at least as far as its
 * changes since the last released API ({@code cnf/baseline/io.tttv2.core.api.jar}) require — an incompatible
 * change a major bump, an addition a minor one. A failure names the package, what changed and the version it
 * needs; bump {@code @Version} in that package's {@code package-info.java}. A release replaces the baseline
 * ({@code scripts/update-api-baseline.sh}).
 */
class ApiBaselineTest {

    @Test
    void exportedPackageVersionsFollowTheirChangesSinceTheReleasedBaseline() throws Exception {
        Path root = Path.of(System.getProperty("tttv2.root", ".."));
        // target/classes holds the manifest bnd wrote (process-classes), Export-Package versions included
        List<String> problems = ApiBaseline.problems(Path.of("target/classes"), root.resolve("cnf/baseline/io.tttv2.core.api.jar"));
        assertEquals(List.of(), problems, "package versions that do not follow the API's changes:\n" + String.join("\n", problems));
    }
}
