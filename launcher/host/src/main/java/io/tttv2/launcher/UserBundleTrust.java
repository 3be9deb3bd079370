package io.tttv2.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The user's bundles are checked again at every start, before any is installed: {@code bundles install}
 * verified each one once, but a jar can be changed in the folder afterwards, and its signer can leave the trust
 * store. A bundle is installed only if its signature still covers it exactly and its signer is still trusted
 * ({@code USER_HOME/truststore.p12}: the certificate itself or an anchor its chain validates to, as at
 * install), or — unsigned, or signed by a key not trusted — it was installed with {@code --allow-unsigned}
 * and is byte for byte what was installed ({@code USER_HOME/unsigned-allowed.properties}: file name = SHA-256,
 * written by {@code bundles install}). The rules are those of the commands bundle's {@code JarSignature} and
 * {@code TrustStore}, which run inside the framework; this check runs before it exists.
 */
final class UserBundleTrust {

    /** Framework property: the user bundles refused at this start, {@code file<TAB>reason} per line, for {@code bundles list}. */
    static final String REFUSED_PROPERTY = "tttv2.user.bundles.refused";
    static final String ALLOWED_UNSIGNED_FILE = "unsigned-allowed.properties";
    private static final char[] PASSWORD = "changeit".toCharArray();

    private final Path trustStore;
    private final KeyStore store;               // null: no trust store, no key trusted
    private final String storeProblem;          // why the store could not be read, or null
    private final Properties allowedUnsigned = new Properties();

    UserBundleTrust(Path userHome) {
        this.trustStore = userHome.resolve("truststore.p12");
        KeyStore loaded = null;
        String problem = null;
        if (Files.exists(trustStore)) {
            try (InputStream in = Files.newInputStream(trustStore)) {
                loaded = KeyStore.getInstance("PKCS12");
                loaded.load(in, PASSWORD);
            } catch (IOException | GeneralSecurityException e) {
                loaded = null;
                problem = "the trust store " + trustStore + " cannot be read (" + FelixHost.oneLine(e.getMessage()) + ")";
            }
        }
        this.store = loaded;
        this.storeProblem = problem;
        Path allowed = userHome.resolve(ALLOWED_UNSIGNED_FILE);
        if (Files.isRegularFile(allowed)) {
            try (InputStream in = Files.newInputStream(allowed)) {
                allowedUnsigned.load(in);
            } catch (IOException | IllegalArgumentException e) {
                // unreadable: no bundle counts as allowed unsigned, each refusal says so
                allowedUnsigned.clear();
            }
        }
    }

    /** Null if {@code jar} may be installed; else why not, one line. */
    String refusal(Path jar) {
        Set<X509Certificate> common = null;     // signers every signed entry has
        List<X509Certificate> chain = List.of();
        String unsignedEntry = null;
        byte[] buffer = new byte[64 * 1024];
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                JarEntry entry = entries.nextElement();
                if (entry.isDirectory()) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    while (in.read(buffer) != -1) {
                        // reading to the end checks the entry's digest against the signature
                    }
                }
                if (isSignatureFile(entry.getName())) {
                    continue;
                }
                CodeSigner[] signers = entry.getCodeSigners();
                if (signers == null || signers.length == 0) {
                    unsignedEntry = unsignedEntry == null ? entry.getName() : unsignedEntry;
                    continue;
                }
                Set<X509Certificate> these = new LinkedHashSet<>();
                for (CodeSigner signer : signers) {
                    List<? extends java.security.cert.Certificate> path = signer.getSignerCertPath().getCertificates();
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
            return "its signature does not match its contents (changed since it was installed?)";
        } catch (IOException e) {
            return "not a readable jar (" + FelixHost.oneLine(e.getMessage()) + ")";
        }
        if (common != null && unsignedEntry != null) {
            return "entry " + unsignedEntry + " is not covered by its signature (added since it was signed?)";
        }
        if (common != null && common.isEmpty()) {
            return "its entries are signed by different keys";
        }
        X509Certificate signer = common == null ? null : common.iterator().next();
        if (signer != null && trusted(chain.get(0).equals(signer) ? chain : List.of(signer))) {
            return null;
        }
        String recorded = allowedUnsigned.getProperty(jar.getFileName().toString());
        if (recorded != null) {
            return recorded.equalsIgnoreCase(sha256(jar)) ? null
                    : "it changed since it was installed with --allow-unsigned (its SHA-256 is not the one recorded in "
                    + ALLOWED_UNSIGNED_FILE + ")";
        }
        if (storeProblem != null) {
            return storeProblem;
        }
        if (signer != null) {
            return "signed by " + signer.getSubjectX500Principal().getName() + ", a key the trust store " + trustStore
                    + " does not trust (any more)";
        }
        return "not signed, and not installed with --allow-unsigned";
    }

    private boolean trusted(List<X509Certificate> chain) {
        if (store == null) {
            return false;
        }
        try {
            if (store.getCertificateAlias(chain.get(0)) != null) {
                return true;
            }
            Set<TrustAnchor> anchors = new HashSet<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate x) {
                    anchors.add(new TrustAnchor(x, null));
                }
            }
            if (anchors.isEmpty()) {
                return false;
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);     // offline: no CRL or OCSP to ask
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
            return true;     // validate throws unless the chain leads to an anchor
        } catch (CertPathValidatorException e) {
            return false;
        } catch (GeneralSecurityException e) {
            return false;       // a store that cannot vouch trusts nobody
        }
    }

    static String sha256(Path jar) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** The manifest and the signature block files, which a signature does not sign itself. */
    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.equals("META-INF/MANIFEST.MF") || upper.startsWith("META-INF/SIG-")
                || upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC");
    }
}
