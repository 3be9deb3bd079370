package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The distribution's bundles are stored uncompressed (launcher/distribution/src/build/StoreBundles.java: the host
 * reads bundle classes from the jars at every start, and inflating them slowed the first token), and are still
 * jars: each opens with its manifest.
 */
class StoredBundlesIT {

    @Test
    void everyBundleEntryIsStoredAndEveryJarHasItsManifest() throws IOException {
        List<String> compressed = new ArrayList<>();
        List<Path> bundles = BuiltDistribution.bundles();
        for (Path jar : bundles) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                    ZipEntry e = en.nextElement();
                    if (e.getMethod() != ZipEntry.STORED) {
                        compressed.add(jar.getFileName() + "!" + e.getName());
                    }
                }
            }
            try (JarFile j = new JarFile(jar.toFile())) {
                assertTrue(j.getManifest() != null && j.getManifest().getMainAttributes().getValue("Bundle-SymbolicName")
                        != null, jar.getFileName() + " has a bundle manifest");
            }
        }
        assertTrue(bundles.size() > 10, "the distribution's bundles: " + bundles.size());
        assertEquals(List.of(), compressed.stream().limit(5).toList());
    }
}
