package io.tttv2.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tttv2 bundles} through the built distribution, each refusal one line on stderr naming the file and
 * the reason, exit 1, and the user folder left as it was (no jar, no temporary file); what is accepted is
 * listed with its signer and policy, and the host installs it at the next start.
 */
class BundlesCommandIT {

    private static final String CANDIDATE = "io.tttv2.candidate;name=acme/norm/plain;kind=norm;version:Version=1.0.0;"
            + "tier=%s;dtypes:List<String>=\"F32\";devices:List<String>=cpu;variants:List<String>=rms";

    @TempDir
    static Path keys;
    private static JarSigning acme;
    private static JarSigning stranger;

    @TempDir
    Path dir;
    private Path home;

    @BeforeAll
    static void makeKeys() throws Exception {
        acme = JarSigning.newKey(keys, "acme", "Acme Signing");
        stranger = JarSigning.newKey(keys, "stranger", "Someone Else");
    }

    @BeforeEach
    void newHome() throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
    }

    private LauncherRun bundles(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("bundles"));
        all.addAll(List.of(args));
        all.add("--home");
        all.add(home.toString());
        return LauncherRun.of(BuiltDistribution.launcherJar(), all.toArray(String[]::new));
    }

    private static GeneratedBundle norm(String tier) {
        return GeneratedBundle.named("com.acme.plain").header("Import-Package", "io.tttv2.api.modules")
                .header("Provide-Capability", CANDIDATE.formatted(tier)).entry("com/acme/plain/Readme.txt", "a norm".getBytes());
    }

    private Path trusted(GeneratedBundle bundle) throws Exception {
        assertEquals(0, bundles("trust", "add", acme.certificate(dir).toString()).exitCode());
        return acme.sign(bundle.writeTo(dir, "unsigned.jar"), dir.resolve(bundle.symbolicName() + ".jar"));
    }

    /** Exit 1, one line "tttv2: FILE: ..." containing {@code reason}, and nothing written to the user bundle folder. */
    private void assertRefused(LauncherRun run, String file, String reason) throws IOException {
        assertEquals(1, run.exitCode(), run.transcript());
        assertEquals(1, run.err().size(), run.transcript());
        assertTrue(run.err().get(0).startsWith("tttv2: " + file + ": "), run.transcript());
        assertTrue(run.err().get(0).contains(reason), "expected '" + reason + "' in\n" + run.transcript());
        assertEquals(List.of(), userFolderFiles(), "the user bundle folder changed");
    }

    private List<String> userFolderFiles() throws IOException {
        Path folder = home.resolve("bundles");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFileThatIsNotAJarIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        assertRefused(bundles("install", "--allow-unsigned", file.toString()), "notes.jar", "not a jar (zip END header not found)");
    }

    @Test
    void aJarWithACorruptManifestIsRefused() throws Exception {
        Path file = dir.resolve("corrupt.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\nBundle-SymbolicName com.acme\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        assertRefused(bundles("verify", "--allow-unsigned", file.toString()), "corrupt.jar",
                "corrupt manifest (META-INF/MANIFEST.MF): invalid header field (line 2)");
        assertRefused(bundles("install", "--allow-unsigned", file.toString()), "corrupt.jar", "corrupt manifest");
    }

    @Test
    void aManifestTheFrameworkCannotParseIsRefused() throws Exception {
        Path file = norm("experimental").header("Import-Package", "io.tttv2.api.modules;version=\"[1,\"").writeTo(dir, "range.jar");
        assertRefused(bundles("install", "--allow-unsigned", file.toString()), "range.jar", "corrupt bundle manifest: ");
    }

    @Test
    void aJarThatIsNoBundleIsRefused() throws Exception {
        Path file = dir.resolve("plain.jar");
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(file), new java.util.jar.Manifest())) {
            jar.putNextEntry(new ZipEntry("a.txt"));
            jar.closeEntry();
        }
        assertRefused(bundles("install", "--allow-unsigned", file.toString()), "plain.jar",
                "not an OSGi bundle: its manifest has no Bundle-SymbolicName");
    }

    @Test
    void theSymbolicNameOfALibraryBundleIsRefused() throws Exception {
        Path file = GeneratedBundle.named("io.tttv2.registry").header("Bundle-Version", "9.0.0").writeTo(dir, "registry.jar");
        assertRefused(bundles("install", "--allow-unsigned", file.toString()), "registry.jar",
                "its symbolic name io.tttv2.registry is the library bundle io.tttv2.registry-");
    }

    @Test
    void exportingOrCarryingTheLibrarysPackagesIsRefused() throws Exception {
        Path exports = norm("experimental").header("Export-Package", "io.tttv2.api.modules;version=\"9.0.0\"").writeTo(dir, "exports.jar");
        assertRefused(bundles("install", "--allow-unsigned", exports.toString()), "exports.jar",
                "it exports io.tttv2.api.modules, a package of the library (io.tttv2.*)");
        Path carries = norm("experimental").entry("io/tttv2/api/modules/Norm.class", new byte[] {1}).writeTo(dir, "carries.jar");
        assertRefused(bundles("install", "--allow-unsigned", carries.toString()), "carries.jar",
                "it carries io/tttv2/api/modules/Norm.class, a class of the library's own packages");
    }

    @Test
    void aMalformedCandidateIsRefused() throws Exception {
        Path file = norm("experimental").header("Provide-Capability", CANDIDATE.formatted("experimental").replace("kind=norm", "kind=nrom"))
                .writeTo(dir, "kind.jar");
        LauncherRun kind = bundles("verify", "--allow-unsigned", file.toString());
        assertRefused(kind, "kind.jar", "candidate acme/norm/plain: attribute 'kind' expected one of attention, ");
        assertTrue(kind.err().get(0).endsWith(", model, found 'nrom'"), kind.transcript());
        Path owner = norm("experimental").header("Provide-Capability", CANDIDATE.formatted("experimental")
                .replace("acme/norm/plain", "tttv2/norm/rms")).writeTo(dir, "owner.jar");
        assertRefused(bundles("install", "--allow-unsigned", owner.toString()), "owner.jar",
                "candidate tttv2/norm/rms: the owner 'tttv2' is the library's own");
    }

    @Test
    void aBundleThatDoesNotResolveNamesTheMissingPackagesAndRanges() throws Exception {
        Path file = norm("experimental").header("Import-Package",
                "io.tttv2.api.modules;version=\"[9.0,10)\",com.nowhere.math;version=\"[1.2,2)\"").writeTo(dir, "imports.jar");
        LauncherRun run = bundles("verify", "--allow-unsigned", file.toString());
        assertRefused(run, "imports.jar", "does not resolve against the host: imports package io.tttv2.api.modules [9.0.0,10.0.0), the host exports version ");
        assertTrue(run.err().get(0).endsWith("; imports package com.nowhere.math [1.2.0,2.0.0), which no bundle of the host exports"),
                run.transcript());
    }

    @Test
    void anUnsignedBundleIsRefusedWithoutAllowUnsigned() throws Exception {
        Path file = norm("experimental").writeTo(dir, "plain.jar");
        assertRefused(bundles("install", file.toString()), "plain.jar",
                "not signed; a bundle from outside the distribution needs a signature by a key in the trust store");
    }

    @Test
    void aBundleSignedByAnUnknownKeyIsRefused() throws Exception {
        assertEquals(0, bundles("trust", "add", acme.certificate(dir).toString()).exitCode());
        Path file = stranger.sign(norm("community").writeTo(dir, "u.jar"), dir.resolve("stranger.jar"));
        assertRefused(bundles("install", file.toString()), "stranger.jar",
                "signed by CN=Someone Else, a key the trust store " + home.resolve("truststore.p12") + " does not hold");
    }

    @Test
    void aJarChangedAfterSigningIsRefusedEvenWithAllowUnsigned() throws Exception {
        Path signed = trusted(norm("community"));
        Path tampered = JarSigning.tamper(signed, "com/acme/plain/Readme.txt", "changed", dir.resolve("tampered.jar"));
        assertRefused(bundles("install", tampered.toString()), "tampered.jar",
                "the signature does not match the contents (tampered after signing?)");
        assertRefused(bundles("install", "--allow-unsigned", tampered.toString()), "tampered.jar", "tampered after signing?");
    }

    @Test
    void unsignedBundlesMayOnlyClaimExperimental() throws Exception {
        Path file = norm("community").writeTo(dir, "community.jar");
        assertRefused(bundles("install", "--allow-unsigned", file.toString()), "community.jar",
                "candidate acme/norm/plain claims tier community; tiers above experimental need a signature by a trusted key");
        LauncherRun ok = bundles("install", "--allow-unsigned", norm("experimental").writeTo(dir, "experimental.jar").toString());
        assertEquals(0, ok.exitCode(), ok.transcript());
        LauncherRun list = bundles("list");
        assertTrue(list.out().contains("com.acme.plain 1.0.0  com.acme.plain-1.0.0.jar  unsigned: allowed by --allow-unsigned  active"),
                list.transcript());
        LauncherRun modules = LauncherRun.of(BuiltDistribution.launcherJar(), "--home", home.toString(), "modules");
        assertEquals("    signer: unsigned (allowed with --allow-unsigned)", lineUnder(modules, "acme/norm/plain ", "    signer: "));
    }

    /** The first line starting with {@code prefix} among the indented lines under the row starting with {@code row}. */
    private static String lineUnder(LauncherRun run, String row, String prefix) {
        List<String> out = run.out();
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).startsWith(row)) {
                for (int j = i + 1; j < out.size() && out.get(j).startsWith("    "); j++) {
                    if (out.get(j).startsWith(prefix)) {
                        return out.get(j);
                    }
                }
            }
        }
        throw new AssertionError("no '" + prefix + "' line under '" + row + "' in\n" + run.transcript());
    }

    /**
     * The host checks every user bundle again at its start: one whose signature no longer covers it, whose signer
     * left the trust store, or which was allowed unsigned and changed since, is not started — one warning line —
     * and {@code bundles list} says why; {@code bundles remove} still takes it out.
     */
    private void assertNotStartedAtTheNextStart(String why) throws Exception {
        LauncherRun list = bundles("list");
        assertEquals(0, list.exitCode(), list.transcript());
        assertEquals(List.of("tttv2: warning: user bundle com.acme.plain-1.0.0.jar is not started: " + why
                + "; tttv2 bundles remove com.acme.plain-1.0.0.jar takes it out"), list.err(), list.transcript());
        assertTrue(list.out().stream().anyMatch(l -> l.startsWith("com.acme.plain 1.0.0  com.acme.plain-1.0.0.jar  ")
                && l.endsWith("  not started: " + why)), list.transcript());
        LauncherRun modules = LauncherRun.of(BuiltDistribution.launcherJar(), "--home", home.toString(), "modules");
        assertEquals(0, modules.exitCode(), modules.transcript());
        assertTrue(modules.out().stream().noneMatch(l -> l.contains("acme/norm/plain")), modules.transcript());
        LauncherRun remove = bundles("remove", "com.acme.plain-1.0.0.jar");
        assertEquals(0, remove.exitCode(), remove.transcript());
        assertEquals(List.of(), userFolderFiles());
    }

    @Test
    void aSignedBundleChangedAfterItsInstallIsNotStarted() throws Exception {
        assertEquals(0, bundles("install", trusted(norm("community")).toString()).exitCode());
        Path installed = home.resolve("bundles/com.acme.plain-1.0.0.jar");
        Path tampered = JarSigning.tamper(installed, "com/acme/plain/Readme.txt", "changed", dir.resolve("tampered.jar"));
        Files.copy(tampered, installed, StandardCopyOption.REPLACE_EXISTING);
        assertNotStartedAtTheNextStart("its signature does not match its contents (changed since it was installed?)");
    }

    @Test
    void aBundleWhoseSignerLeftTheTrustStoreIsNotStarted() throws Exception {
        assertEquals(0, bundles("install", trusted(norm("community")).toString()).exitCode());
        assertEquals(0, bundles("trust", "remove", "acme-signing").exitCode());
        assertNotStartedAtTheNextStart("signed by CN=Acme Signing, a key the trust store " + home.resolve("truststore.p12")
                + " does not trust (any more)");
    }

    @Test
    void anUnsignedBundleChangedAfterItsInstallIsNotStarted() throws Exception {
        assertEquals(0, bundles("install", "--allow-unsigned", norm("experimental").writeTo(dir, "plain.jar").toString()).exitCode());
        Path other = norm("experimental").entry("com/acme/plain/Extra.txt", "more".getBytes()).writeTo(dir, "other.jar");
        Files.copy(other, home.resolve("bundles/com.acme.plain-1.0.0.jar"), StandardCopyOption.REPLACE_EXISTING);
        assertNotStartedAtTheNextStart("it changed since it was installed with --allow-unsigned (its SHA-256 is not the one"
                + " recorded in unsigned-allowed.properties)");
    }

    @Test
    void aJarCopiedIntoTheFolderByHandIsNotStarted() throws Exception {
        norm("experimental").writeTo(Files.createDirectories(home.resolve("bundles")), "com.acme.plain-1.0.0.jar");
        assertNotStartedAtTheNextStart("not signed, and not installed with --allow-unsigned");
    }

    @Test
    void aTrustedSignatureIsAcceptedListedAndInstalledAtTheNextStart() throws Exception {
        Path signed = trusted(norm("community"));
        LauncherRun verify = bundles("verify", signed.toString());
        assertEquals(0, verify.exitCode(), verify.transcript());
        assertEquals(List.of(), userFolderFiles(), "verify installs nothing");

        LauncherRun install = bundles("install", signed.toString());
        assertEquals(0, install.exitCode(), install.transcript());
        assertEquals("installed com.acme.plain 1.0.0 as " + home.resolve("bundles/com.acme.plain-1.0.0.jar")
                + " (signed by CN=Acme Signing, trusted as 'acme-signing')", install.out().get(0), install.transcript());
        assertEquals(List.of("com.acme.plain-1.0.0.jar"), userFolderFiles());

        LauncherRun list = bundles("list");
        assertEquals(0, list.exitCode(), list.transcript());
        assertTrue(list.out().contains("policy: signed by a key of " + home.resolve("truststore.p12")
                + " (1 key), or --allow-unsigned with experimental candidates only"), list.transcript());
        assertTrue(list.out().contains("com.acme.plain 1.0.0  com.acme.plain-1.0.0.jar  signed by CN=Acme Signing, trusted as"
                + " 'acme-signing'  active"), list.transcript());
        assertTrue(list.out().contains("  candidate acme/norm/plain 1.0.0 (norm, community)"), list.transcript());

        LauncherRun modules = LauncherRun.of(BuiltDistribution.launcherJar(), "--home", home.toString(), "modules");
        assertTrue(modules.out().stream().anyMatch(l -> l.contains("acme/norm/plain")), modules.transcript());
        assertEquals("    signer: CN=Acme Signing (trusted as 'acme-signing')", lineUnder(modules, "acme/norm/plain ", "    signer: "));
        assertTrue(modules.out().contains("trust: user bundles (1 in " + home.resolve("bundles") + ") must be signed by a key of "
                + home.resolve("truststore.p12") + " (1 key), or installed with --allow-unsigned and then offer experimental"
                + " candidates only; the distribution's bundles are trusted as shipped"), modules.transcript());

        LauncherRun second = bundles("install", signed.toString());
        assertEquals(1, second.exitCode(), second.transcript());
        assertEquals(List.of("tttv2: com.acme.plain.jar: com.acme.plain 1.0.0 is already installed (com.acme.plain-1.0.0.jar);"
                + " remove it first, or raise Bundle-Version"), second.err(), second.transcript());
        assertEquals(List.of("com.acme.plain-1.0.0.jar"), userFolderFiles());
    }

    @Test
    void aNewerVersionReplacesTheInstalledOne() throws Exception {
        assertEquals(0, bundles("install", "--allow-unsigned", norm("experimental").writeTo(dir, "old.jar").toString()).exitCode());
        Path newer = norm("experimental").header("Bundle-Version", "1.1.0")
                .header("Provide-Capability", CANDIDATE.formatted("experimental").replace("1.0.0", "1.1.0")).writeTo(dir, "new.jar");
        LauncherRun install = bundles("install", "--allow-unsigned", newer.toString());
        assertEquals(0, install.exitCode(), install.transcript());
        assertEquals(List.of("com.acme.plain-1.1.0.jar"), userFolderFiles());
        LauncherRun list = bundles("list");
        assertTrue(list.out().contains("  candidate acme/norm/plain 1.1.0 (norm, experimental)"), list.transcript());
        assertTrue(list.out().stream().noneMatch(l -> l.contains("1.0.0")), list.transcript());
    }

    @Test
    void aBundleWhoseCandidateAModelPinsIsNotRemoved() throws Exception {
        assertEquals(0, bundles("install", "--allow-unsigned", norm("experimental").writeTo(dir, "norm.jar").toString()).exitCode());
        Path model = GeneratedBundle.named("com.acme.model")
                .header("Provide-Capability", "io.tttv2.candidate;name=acme/model/toy;kind=model;version:Version=1.0.0;"
                        + "tier=experimental;dtypes:List<String>=\"F32\";devices:List<String>=cpu;assembly=assembly.json")
                .entry("assembly.json", "{\"model\": \"acme/model/toy\", \"modules\": {\"norm\": {\"name\": \"acme/norm/plain\"}}}"
                        .getBytes(StandardCharsets.UTF_8))
                .writeTo(dir, "model.jar");
        LauncherRun installModel = bundles("install", "--allow-unsigned", model.toString());
        assertEquals(0, installModel.exitCode(), installModel.transcript());

        LauncherRun pinned = bundles("remove", "com.acme.plain");
        assertEquals(1, pinned.exitCode(), pinned.transcript());
        assertEquals(List.of("tttv2: cannot remove com.acme.plain 1.0.0: model acme/model/toy (bundle com.acme.model/1.0.0)"
                + " pins norm to acme/norm/plain, which only this bundle offers; remove that model first"), pinned.err());
        assertEquals(List.of("com.acme.model-1.0.0.jar", "com.acme.plain-1.0.0.jar"), userFolderFiles());

        assertEquals(0, bundles("remove", "com.acme.model").exitCode());
        LauncherRun removed = bundles("remove", "com.acme.plain");
        assertEquals(0, removed.exitCode(), removed.transcript());
        assertEquals(List.of(), userFolderFiles());
        LauncherRun again = bundles("remove", "com.acme.plain");
        assertEquals(List.of("tttv2: no user bundle com.acme.plain in " + home.resolve("bundles") + " (none installed)"), again.err());
        LauncherRun library = bundles("remove", "io.tttv2.registry");
        assertEquals(List.of("tttv2: io.tttv2.registry is a bundle of the distribution, not a user bundle: it cannot be removed"),
                library.err());
    }

    @Test
    void aRunningShellPicksUpAnInstallAndARemovalWithoutARestart() throws Exception {
        Path jar = norm("experimental").writeTo(dir, "plain.jar");
        String input = String.join("\n",
                "tttv2 bundles install --allow-unsigned " + jar,
                "tttv2 modules",
                "tttv2 bundles remove com.acme.plain",
                "tttv2 modules",
                "exit 0") + "\n";
        LauncherRun run = LauncherRun.withInput(BuiltDistribution.launcherJar(), input, "shell", "--home", home.toString());
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.contains("installed com.acme.plain 1.0.0 as ")), run.transcript());
        assertTrue(run.out().stream().anyMatch(l -> l.contains("removed com.acme.plain 1.0.0 ")), run.transcript());
        // listed by the first modules only: after its install, before its removal
        assertEquals(1, run.out().stream().filter(l -> l.startsWith("acme/norm/plain ") && l.endsWith(" com.acme.plain/1.0.0")).count(),
                run.transcript());
        assertEquals(List.of(), userFolderFiles());
        assertTrue(run.err().stream().noneMatch(l -> l.contains("Exception") || l.contains("warning")), run.transcript());
    }

    @Test
    void aUserBundleThatNoLongerResolvesIsAWarningNotAFailedStart() throws Exception {
        Path folder = Files.createDirectories(home.resolve("bundles"));
        Path jar = norm("experimental").header("Import-Package", "com.nowhere.math").writeTo(folder, "com.acme.plain-1.0.0.jar");
        // as bundles install --allow-unsigned records it (a jar that no longer resolves is not refused by its signature)
        Files.writeString(home.resolve("unsigned-allowed.properties"), "com.acme.plain-1.0.0.jar=" + sha256(jar) + "\n");
        LauncherRun list = bundles("list");
        assertEquals(0, list.exitCode(), list.transcript());
        assertTrue(list.err().stream().anyMatch(l -> l.startsWith("tttv2: warning: user bundle com.acme.plain-1.0.0.jar (com.acme.plain 1.0.0)"
                + " does not resolve: missing requirement")), list.transcript());
        assertEquals(0, bundles("remove", "com.acme.plain").exitCode());
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
