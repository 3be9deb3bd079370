package io.tttv2.cli.bundles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The {@code jarsigner} signature of a jar, checked with the JDK's own verifier ({@link JarFile} opened for
 * verification, every entry read through, {@link JarEntry#getCodeSigners()}): either unsigned, or every entry
 * signed by one key whose certificate chain is {@code chain} (signer first). A digest that does not match (an
 * entry changed after signing), an entry the signature does not cover (added after signing), or entries signed
 * by different keys are refused: such a jar is not what any signer signed.
 *
 * @param chain the signer's certificate path, signer first; empty when the jar is unsigned
 */
public record JarSignature(List<X509Certificate> chain) {

    public JarSignature {
        chain = List.copyOf(chain);
    }

    public boolean signed() {
        return !chain.isEmpty();
    }

    /** The signer's certificate, or null when unsigned. */
    public X509Certificate signer() {
        return chain.isEmpty() ? null : chain.get(0);
    }

    /** For listings: the signer's subject, or "unsigned". */
    public String describe() {
        return signed() ? signer().getSubjectX500Principal().getName() : "unsigned";
    }

    /**
     * Reads and checks the signature of {@code jar}.
     *
     * @throws BundleRefused if the jar cannot be read or its signature does not cover it exactly
     */
    public static JarSignature read(Path jar) throws BundleRefused {
        List<String> unsigned = new ArrayList<>();
        Set<X509Certificate> common = null;   // signers every signed entry has
        List<X509Certificate> chain = List.of();
        byte[] buffer = new byte[64 * 1024];
        try (JarFile jarFile = new JarFile(jar.toFile(), true)) {
            for (Enumeration<JarEntry> entries = jarFile.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                // reading an entry to its end is what checks its digest against the signature
                try (InputStream in = jarFile.getInputStream(entry)) {
                    while (in.read(buffer) != -1) {
                        // read through
                    }
                }
                if (isSignatureFile(entry.getName())) {
                    continue;
                }
                CodeSigner[] signers = entry.getCodeSigners();
                if (signers == null || signers.length == 0) {
                    unsigned.add(entry.getName());
                    continue;
                }
                Set<X509Certificate> these = new LinkedHashSet<>();
                for (CodeSigner signer : signers) {
                    List<? extends Certificate> path = signer.getSignerCertPath().getCertificates();
                    if (!path.isEmpty() && path.get(0) instanceof X509Certificate x) {
                        these.add(x);
                        if (chain.isEmpty()) {
                            chain = path.stream().map(X509Certificate.class::cast).toList();
                        }
                    }
                }
                if (common == null) {
                    common = these;
                } else {
                    common.retainAll(these);
                }
            }
        } catch (SecurityException e) {
            throw new BundleRefused("the signature does not match the contents (tampered after signing?): "
                    + oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new BundleRefused("not a readable jar: " + oneLine(e.getMessage()), e);
        }
        if (common == null) {
            return new JarSignature(List.of());
        }
        if (!unsigned.isEmpty()) {
            throw new BundleRefused("entry " + unsigned.get(0) + " is not covered by the signature (added after signing?)"
                    + (unsigned.size() > 1 ? ", and " + (unsigned.size() - 1) + " more" : ""));
        }
        if (common.isEmpty()) {
            throw new BundleRefused("its entries are signed by different keys; sign the whole jar with one key");
        }
        X509Certificate signer = common.iterator().next();
        if (!chain.get(0).equals(signer)) {
            chain = List.of(signer);
        }
        return new JarSignature(chain);
    }

    /** The manifest and the signature block files, which a signature does not sign itself. */
    static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.equals("META-INF/MANIFEST.MF") || upper.startsWith("META-INF/SIG-")
                || Arrays.asList(".SF", ".RSA", ".DSA", ".EC").stream().anyMatch(upper::endsWith);
    }

    static String oneLine(String message) {
        return message == null ? "(no message)" : message.replaceAll("\\s+", " ").trim();
    }
}
