package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The boundaries at build time, read back from the manifests bnd generated (the build already fails on
 * a forbidden import through cnf/build.bnd; this shows the result): core-impl imports only the API, the
 * JDK, the Vector API and OSGi; core-api only the JDK and the packages it exports itself.
 */
class BundleManifestsIT {

    @Test
    void coreImplImportsOnlyTheApiTheJdkAndOsgi() throws IOException {
        Attributes manifest = manifest("core-impl", "io.tttv2.core.impl");
        ImportBoundary boundary = new ImportBoundary("io.tttv2.core.impl",
                List.of("io.tttv2.api.*", "java.*", "jdk.incubator.vector", "org.osgi.*"));
        assertEquals(List.of(), boundary.violations(ImportedPackages.of(manifest.getValue("Import-Package"))));
    }

    @Test
    void coreApiImportsOnlyTheJdkAndItsOwnExports() throws IOException {
        Attributes manifest = manifest("core-api", "io.tttv2.core.api");
        // an API bundle imports the packages it exports (substitutable exports), and nothing else but the JDK
        List<String> allowed = new java.util.ArrayList<>(ImportedPackages.of(manifest.getValue("Export-Package")));
        allowed.add("java.*");
        assertTrue(allowed.stream().allMatch(p -> p.equals("java.*") || p.startsWith("io.tttv2.api.")),
                "core-api exports only io.tttv2.api.* packages: " + allowed);
        ImportBoundary boundary = new ImportBoundary("io.tttv2.core.api", allowed);
        assertEquals(List.of(), boundary.violations(ImportedPackages.of(manifest.getValue("Import-Package"))));
    }

    /** The main attributes of {@code module/target/<bsn>-<version>.jar}, checked to be that bundle's. */
    private static Attributes manifest(String module, String symbolicName) throws IOException {
        Path target = BuiltDistribution.root().resolve(module).resolve("target");
        Path jar;
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches(
                    java.util.regex.Pattern.quote(symbolicName) + "-[0-9][^-]*(-SNAPSHOT)?\\.jar")).toList();
            assertEquals(1, jars.size(), "bundle jars of " + symbolicName + " in " + target + ": " + jars);
            jar = jars.get(0);
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertEquals(symbolicName, main.getValue("Bundle-SymbolicName"), jar + ": Bundle-SymbolicName");
            return main;
        }
    }
}
