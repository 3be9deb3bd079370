package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImportBoundaryTest {

    private final ImportBoundary coreImpl = new ImportBoundary("io.tttv2.core.impl",
            List.of("io.tttv2.api.*", "java.*", "jdk.incubator.vector", "org.osgi.*"));

    @Test
    void allowedPackagesPass() {
        assertEquals(List.of(), coreImpl.violations(List.of("io.tttv2.api.tensor", "java.util", "jdk.incubator.vector",
                "org.osgi.framework")));
    }

    @Test
    void aForbiddenPackageIsNamedWithItsBundle() {
        assertEquals(List.of("io.tttv2.core.impl imports com.fasterxml.jackson.databind, outside its boundary "
                        + "[io.tttv2.api.*, java.*, jdk.incubator.vector, org.osgi.*]"),
                coreImpl.violations(List.of("java.util", "com.fasterxml.jackson.databind")));
    }

    @Test
    void aStarMatchesWholeSegmentsOnly() {
        assertEquals(1, coreImpl.violations(List.of("io.tttv2.apiextra")).size());
        assertEquals(1, coreImpl.violations(List.of("javax.swing")).size());
        assertEquals(1, coreImpl.violations(List.of("jdk.incubator.foreign")).size());
    }
}
