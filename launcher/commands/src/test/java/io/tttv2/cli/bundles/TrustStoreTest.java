package io.tttv2.cli.bundles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PKCS12 trust store: adding a signer's certificate, trusting exactly it, keytool reading the same file. */
class TrustStoreTest {

    @TempDir
    Path dir;

    private JarSignature signedBy(String alias, String cn) throws Exception {
        Path store = TestJars.keyStore(dir, alias, cn);
        Path jar = TestJars.bundle(dir.resolve(alias + ".jar"), Map.of("Bundle-SymbolicName", "a"), Map.of("a.txt", "a"));
        return JarSignature.read(TestJars.sign(jar, store, alias));
    }

    @Test
    void aTrustedSignerIsFoundAndAnUnknownOneIsNot() throws Exception {
        JarSignature acme = signedBy("acme", "Acme Signing");
        JarSignature other = signedBy("other", "Someone Else");
        TrustStore trust = new TrustStore(dir.resolve("home/truststore.p12"));
        assertNull(trust.trusting(acme.chain()), "an absent store trusts nobody");

        Path pem = TestJars.certificate(dir.resolve("acme.p12"), "acme", dir.resolve("acme.pem"));
        TrustStore.Entry added = trust.add(pem, null);
        assertEquals("acme-signing", added.alias());
        assertEquals("acme-signing", trust.trusting(acme.chain()));
        assertNull(trust.trusting(other.chain()));
        assertEquals(List.of("acme-signing"), trust.entries().stream().map(TrustStore.Entry::alias).toList());
        // written atomically: no temporary file left beside it
        try (var files = Files.list(dir.resolve("home"))) {
            assertEquals(List.of("truststore.p12"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void keytoolReadsTheStoreWithThePasswordTheReadmeGives() throws Exception {
        signedBy("acme", "Acme Signing");
        TrustStore trust = new TrustStore(dir.resolve("truststore.p12"));
        trust.add(TestJars.certificate(dir.resolve("acme.p12"), "acme", dir.resolve("acme.pem")), "acme");
        TestJars.run(TestJars.tool("keytool"), "-list", "-keystore", trust.file().toString(), "-storepass", TrustStore.PASSWORD_TEXT,
                "-alias", "acme");
    }

    @Test
    void theSameCertificateTwiceAndAnUnknownAliasAreRefused() throws Exception {
        signedBy("acme", "Acme Signing");
        Path pem = TestJars.certificate(dir.resolve("acme.p12"), "acme", dir.resolve("acme.pem"));
        TrustStore trust = new TrustStore(dir.resolve("truststore.p12"));
        trust.add(pem, null);
        BundleRefused twice = assertThrows(BundleRefused.class, () -> trust.add(pem, "again"));
        assertEquals("acme.pem: this certificate is already trusted, as 'acme-signing'", twice.getMessage());
        BundleRefused unknown = assertThrows(BundleRefused.class, () -> trust.remove("nobody"));
        assertTrue(unknown.getMessage().startsWith("no certificate 'nobody' in the trust store"), unknown.getMessage());
        trust.remove("acme-signing");
        assertEquals(List.of(), trust.entries());
    }

    @Test
    void aFileThatIsNoCertificateIsOneLine() throws Exception {
        Path notPem = Files.writeString(dir.resolve("x.pem"), "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----\n");
        BundleRefused e = assertThrows(BundleRefused.class, () -> new TrustStore(dir.resolve("t.p12")).add(notPem, null));
        assertTrue(e.getMessage().startsWith(notPem + ": not an X.509 certificate"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
