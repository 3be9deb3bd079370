package io.tttv2.tools.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check refuses a deliberately incompatible change whose version did not move, and accepts the same change
 * with the bump: on a scratch copy of the real core-api baseline (a public type taken out of a package), and on
 * a small API compiled here twice (a method removed, a type added).
 */
class ApiBaselineTest {

    private static final Path CORE_API_BASELINE = Path.of(System.getProperty("tttv2.root", "../.."))
            .resolve("cnf/baseline/io.tttv2.core.api.jar");

    @TempDir
    Path dir;

    @Test
    void theCoreApiBaselineAgainstItselfHasNoProblem() throws Exception {
        assertEquals(List.of(), ApiBaseline.problems(CORE_API_BASELINE, CORE_API_BASELINE));
    }

    @Test
    void aTypeRemovedFromCoreApiWithoutAMajorBumpIsRefusedAndPassesWithIt() throws Exception {
        // the kv package's version as released (the baseline moves at every release): e.g. 2.0.0 → 2.1.0 / 3.0.0
        String released = exportedVersion(CORE_API_BASELINE, "io.tttv2.api.kv");
        int major = Integer.parseInt(released.substring(0, released.indexOf('.')));
        String kv = "io.tttv2.api.kv;version=\"" + released + "\"";
        Path unchanged = copyWithout(CORE_API_BASELINE, "io/tttv2/api/kv/BlockTable.class", Map.of(), dir.resolve("same.jar"));
        List<String> problems = ApiBaseline.problems(unchanged, CORE_API_BASELINE);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("io.tttv2.api.kv: major change since the baseline " + released
                + " (removed interface io.tttv2.api.kv.BlockTable"), problems.get(0));
        assertTrue(problems.get(0).endsWith("but its version is " + released + "; expected at least " + (major + 1)
                + ".0.0 (@Version in its package-info.java)"), problems.get(0));

        Path minor = copyWithout(CORE_API_BASELINE, "io/tttv2/api/kv/BlockTable.class",
                Map.of(kv, "io.tttv2.api.kv;version=\"" + major + ".99.0\""), dir.resolve("minor.jar"));
        assertEquals(1, ApiBaseline.problems(minor, CORE_API_BASELINE).size(), "a minor bump is not enough for a removal");

        Path bumped = copyWithout(CORE_API_BASELINE, "io/tttv2/api/kv/BlockTable.class",
                Map.of(kv, "io.tttv2.api.kv;version=\"" + (major + 1) + ".0.0\""), dir.resolve("bumped.jar"));
        assertEquals(List.of(), ApiBaseline.problems(bumped, CORE_API_BASELINE));
    }

    @Test
    void aPackageNoLongerExportedIsRefused() throws Exception {
        String released = exportedVersion(CORE_API_BASELINE, "io.tttv2.api.kv");
        Path gone = copyWithout(CORE_API_BASELINE, null,
                Map.of("io.tttv2.api.kv;version=\"" + released + "\";uses:=\"io.tttv2.api.tensor\",", ""), dir.resolve("gone.jar"));
        List<String> problems = ApiBaseline.problems(gone, CORE_API_BASELINE);
        assertEquals(List.of("io.tttv2.api.kv: exported " + released + " by the baseline io.tttv2.core.api.jar, no longer exported:"
                + " every bundle importing it breaks; keep exporting it (deprecate instead)"), problems);
    }

    /** The version {@code jar}'s manifest exports {@code pkg} at. */
    private static String exportedVersion(Path jar, String pkg) throws IOException {
        try (JarFile in = new JarFile(jar.toFile())) {
            String exports = in.getManifest().getMainAttributes().getValue("Export-Package");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(pkg) + ";version=\"([^\"]+)\"")
                    .matcher(exports);
            assertTrue(m.find(), jar + " exports no " + pkg + ": " + exports);
            return m.group(1);
        }
    }

    @Test
    void aMethodRemovedWithoutAMajorBumpIsRefused() throws Exception {
        Path v1 = api("v1", "1.0.0", "public interface Greeter { String greet(String name); String farewell(); }");
        Path same = api("same", "1.0.0", "public interface Greeter { String greet(String name); }");
        assertEquals(List.of("com.example.api: major change since the baseline 1.0.0 (removed method farewell() in interface"
                + " com.example.api.Greeter), but its version is 1.0.0; expected at least 2.0.0 (@Version in its package-info.java)"),
                ApiBaseline.problems(same, v1));
        assertEquals(List.of(), ApiBaseline.problems(api("major", "2.0.0", "public interface Greeter { String greet(String name); }"), v1));
    }

    @Test
    void anAdditionNeedsAMinorBump() throws Exception {
        String greeter = "public interface Greeter { String greet(String name); }";
        Path v1 = api("v1", "1.0.0", greeter);
        List<String> problems = ApiBaseline.problems(api("same", "1.0.0", greeter, "public record Greeting(String text) { }"), v1);
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("com.example.api: minor change since the baseline 1.0.0 (added class com.example.api.Greeting"),
                problems.get(0));
        assertTrue(problems.get(0).endsWith("expected at least 1.1.0 (@Version in its package-info.java)"), problems.get(0));
        assertEquals(List.of(), ApiBaseline.problems(api("minor", "1.1.0", greeter, "public record Greeting(String text) { }"), v1));
    }

    /** A copy of {@code jar} without the entry {@code drop} (if not null), its manifest's Export-Package edited. */
    private static Path copyWithout(Path jar, String drop, Map<String, String> exportEdits, Path to) throws IOException {
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            String exports = manifest.getMainAttributes().getValue("Export-Package");
            for (Map.Entry<String, String> e : exportEdits.entrySet()) {
                assertTrue(exports.contains(e.getKey()), "the baseline's Export-Package has no '" + e.getKey() + "': " + exports);
                exports = exports.replace(e.getKey(), e.getValue());
            }
            manifest.getMainAttributes().putValue("Export-Package", exports);
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(to), manifest)) {
                for (Enumeration<JarEntry> entries = in.entries(); entries.hasMoreElements(); ) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(drop) || entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream data = in.getInputStream(entry)) {
                        data.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return to;
    }

    /** Package com.example.api, exported at {@code version}, compiled from one source per type into a bundle folder. */
    private Path api(String name, String version, String... types) throws IOException {
        Path sources = Files.createDirectories(dir.resolve(name + "-src/com/example/api"));
        Path classes = Files.createDirectories(dir.resolve(name));
        List<String> args = new java.util.ArrayList<>(List.of("-d", classes.toString()));
        for (String type : types) {
            String simple = type.replaceFirst("^public (interface|record|class) (\\w+).*$", "$2");
            Path file = sources.resolve(simple + ".java");
            Files.writeString(file, "package com.example.api;\n" + type + "\n");
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)), "compiling " + name);
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "com.example.api");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Export-Package", "com.example.api;version=\"" + version + "\"");
        Files.createDirectories(classes.resolve("META-INF"));
        try (OutputStream out = Files.newOutputStream(classes.resolve("META-INF/MANIFEST.MF"))) {
            manifest.write(out);
        }
        return classes;
    }

    static {
        // the classes folders are written as UTF-8 sources; keep javac from guessing
        System.setProperty("file.encoding", StandardCharsets.UTF_8.name());
    }
}
