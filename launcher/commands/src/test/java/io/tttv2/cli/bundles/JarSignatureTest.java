package io.tttv2.cli.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signatures read with the JDK's verifier: unsigned, signed, changed after signing, extended after signing. */
class JarSignatureTest {

    private static final Map<String, String> HEADERS = Map.of("Bundle-ManifestVersion", "2",
            "Bundle-SymbolicName", "com.acme.norm", "Bundle-Version", "1.0.0");
    private static final Map<String, String> ENTRIES = Map.of("com/acme/Norm.class", "not really a class", "README.txt", "hello");

    @TempDir
    Path dir;

    @Test
    void anUnsignedJarHasNoSigner() throws Exception {
        JarSignature s = JarSignature.read(TestJars.bundle(dir.resolve("a.jar"), HEADERS, ENTRIES));
        assertFalse(s.signed());
        assertEquals("unsigned", s.describe());
    }

    @Test
    void aSignedJarNamesItsSigner() throws Exception {
        Path store = TestJars.keyStore(dir, "acme", "Acme Signing");
        Path jar = TestJars.sign(TestJars.bundle(dir.resolve("a.jar"), HEADERS, ENTRIES), store, "acme");
        JarSignature s = JarSignature.read(jar);
        assertTrue(s.signed());
        assertEquals("CN=Acme Signing", s.describe());
    }

    @Test
    void anEntryChangedAfterSigningIsRefused() throws Exception {
        Path store = TestJars.keyStore(dir, "acme", "Acme Signing");
        Path jar = TestJars.sign(TestJars.bundle(dir.resolve("a.jar"), HEADERS, ENTRIES), store, "acme");
        Path tampered = TestJars.tamper(jar, "com/acme/Norm.class", "something else", dir.resolve("t.jar"));
        BundleRefused e = assertThrows(BundleRefused.class, () -> JarSignature.read(tampered));
        assertTrue(e.getMessage().startsWith("the signature does not match the contents (tampered after signing?)"), e.getMessage());
        assertTrue(e.getMessage().contains("com/acme/Norm.class"), e.getMessage());
    }

    @Test
    void anEntryAddedAfterSigningIsRefused() throws Exception {
        Path store = TestJars.keyStore(dir, "acme", "Acme Signing");
        Path jar = TestJars.sign(TestJars.bundle(dir.resolve("a.jar"), HEADERS, ENTRIES), store, "acme");
        Path extended = TestJars.addEntry(jar, "com/acme/Extra.class", "smuggled", dir.resolve("x.jar"));
        BundleRefused e = assertThrows(BundleRefused.class, () -> JarSignature.read(extended));
        assertEquals("entry com/acme/Extra.class is not covered by the signature (added after signing?)", e.getMessage());
    }

    @Test
    void signatureFilesAreRecognised() {
        assertTrue(JarSignature.isSignatureFile("META-INF/MANIFEST.MF"));
        assertTrue(JarSignature.isSignatureFile("META-INF/ACME.SF"));
        assertTrue(JarSignature.isSignatureFile("META-INF/ACME.EC"));
        assertFalse(JarSignature.isSignatureFile("META-INF/services/x.SF"));
        assertFalse(JarSignature.isSignatureFile("com/acme/Norm.class"));
    }
}
