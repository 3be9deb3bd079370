package io.tttv2.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.spi.SLF4JServiceProvider;

/** The SLF4J packages the system bundle exports, at the version of the slf4j-api the launcher carries. */
class Slf4jPackagesTest {

    @Test
    void theClauseExportsTheApiPackagesAtTheJarsVersion() {
        String version = Slf4jPackages.version();
        assertTrue(version.matches("2\\.\\d+\\.\\d+"), version);
        // the jar's own manifest says the same version (unshaded here, on the test class path)
        assertEquals(org.slf4j.Logger.class.getPackage().getImplementationVersion(), version);
        assertEquals("org.slf4j;version=" + version + ",org.slf4j.event;version=" + version + ",org.slf4j.helpers;version="
                + version + ",org.slf4j.spi;version=" + version, Slf4jPackages.exportClause());
    }

    @Test
    void theSimpleProviderIsFoundByTheServiceLoaderOnTheClassPath() {
        assertEquals("org.slf4j.simple.SimpleServiceProvider", ServiceLoader.load(SLF4JServiceProvider.class,
                Slf4jPackages.class.getClassLoader()).findFirst().orElseThrow().getClass().getName());
    }
}
