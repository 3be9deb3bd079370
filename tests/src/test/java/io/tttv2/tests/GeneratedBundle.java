package io.tttv2.tests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A bundle jar written by a test: a manifest with the headers given, and optional entries. Lets a test
 * build exactly the bundle it needs (a candidate declaration, a forbidden import, a class that cannot
 * load) without a build step.
 */
public final class GeneratedBundle {

    private final String symbolicName;
    private final Manifest manifest = new Manifest();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private GeneratedBundle(String symbolicName) {
        this.symbolicName = symbolicName;
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
    }

    /** A bundle named {@code symbolicName}, version 1.0.0, with no other header yet. */
    public static GeneratedBundle named(String symbolicName) {
        return new GeneratedBundle(symbolicName);
    }

    public String symbolicName() {
        return symbolicName;
    }

    /** Sets a manifest header (replacing an earlier value). */
    public GeneratedBundle header(String name, String value) {
        manifest.getMainAttributes().putValue(name, value);
        return this;
    }

    /** Adds a file at {@code path} (for example {@code acme/Thing.class}). */
    public GeneratedBundle entry(String path, byte[] content) {
        entries.put(path, content.clone());
        return this;
    }

    /** The jar's bytes: the manifest first, as the framework expects, then the entries. */
    public byte[] bytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(buffer, manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bundle " + symbolicName, e);
        }
        return buffer.toByteArray();
    }

    /** The jar as a stream, for {@code BundleContext.installBundle(location, stream)}. */
    public InputStream stream() {
        return new ByteArrayInputStream(bytes());
    }

    /** Writes the jar as {@code folder/fileName} and returns that path. */
    public Path writeTo(Path folder, String fileName) {
        Path file = folder.resolve(fileName);
        try {
            Files.write(file, bytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
