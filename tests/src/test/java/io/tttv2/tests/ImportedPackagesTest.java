package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImportedPackagesTest {

    @Test
    void commasInsideQuotedVersionRangesDoNotSplitClauses() {
        String header = "io.tttv2.api.candidate;version=\"[1.0,1.1)\",java.lang,org.osgi.framework;version=\"[1.10,2)\"";
        assertEquals(List.of("io.tttv2.api.candidate", "java.lang", "org.osgi.framework"), ImportedPackages.of(header));
    }

    @Test
    void oneClauseMayNameSeveralPackagesBeforeItsAttributes() {
        assertEquals(List.of("a.b", "c.d", "e"), ImportedPackages.of("a.b;c.d;version=\"[1,2)\";resolution:=optional, e"));
    }

    @Test
    void noHeaderImportsNothing() {
        assertEquals(List.of(), ImportedPackages.of(null));
        assertEquals(List.of(), ImportedPackages.of("  "));
    }
}
