package io.tttv2.cli.bundles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The keys the user trusts to sign bundles: a PKCS12 trust store ({@code USER_HOME/truststore.p12}, password
 * {@value #PASSWORD_TEXT} as the JDK's own {@code cacerts}) holding certificates only, so {@code keytool -list
 * -keystore truststore.p12 -storepass changeit} shows it and {@code keytool -importcert} can add to it. A
 * signer is trusted when its certificate is in the store, or when its chain validates (PKIX) to a certificate
 * of the store. Written through a temporary file and an atomic move, never half.
 */
public final class TrustStore {

    static final String PASSWORD_TEXT = "changeit";
    private static final char[] PASSWORD = PASSWORD_TEXT.toCharArray();

    /** One trusted certificate: its alias, subject and SHA-256 fingerprint. */
    public record Entry(String alias, String subject, String fingerprint) {
    }

    private final Path file;

    public TrustStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Every trusted certificate, by alias. */
    public List<Entry> entries() throws BundleRefused {
        KeyStore store = load();
        List<Entry> out = new ArrayList<>();
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate x) {
                    out.add(new Entry(alias, x.getSubjectX500Principal().getName(), fingerprint(x)));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new BundleRefused(file + ": cannot read: " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Entry::alias));
        return out;
    }

    /**
     * Adds the certificate in {@code certificateFile} (PEM or DER, one certificate) under {@code alias}, or an
     * alias made from its common name when null.
     *
     * @return the entry added
     */
    public Entry add(Path certificateFile, String alias) throws BundleRefused {
        X509Certificate certificate = readCertificate(certificateFile);
        KeyStore store = load();
        String name = alias != null ? alias.toLowerCase(Locale.ROOT) : aliasOf(certificate);
        try {
            String existing = store.getCertificateAlias(certificate);
            if (existing != null) {
                throw new BundleRefused(certificateFile.getFileName() + ": this certificate is already trusted, as '" + existing + "'");
            }
            if (store.containsAlias(name)) {
                throw new BundleRefused(certificateFile.getFileName() + ": the alias '" + name
                        + "' is taken by another certificate; give another with --alias");
            }
            store.setCertificateEntry(name, certificate);
        } catch (GeneralSecurityException e) {
            throw new BundleRefused(file + ": cannot add " + certificateFile + ": " + e.getMessage(), e);
        }
        save(store);
        return new Entry(name, certificate.getSubjectX500Principal().getName(), fingerprint(certificate));
    }

    /** Removes the certificate under {@code alias}. */
    public void remove(String alias) throws BundleRefused {
        KeyStore store = load();
        try {
            if (!store.containsAlias(alias)) {
                throw new BundleRefused("no certificate '" + alias + "' in the trust store " + file
                        + " (trusted: " + String.join(", ", Collections.list(store.aliases())) + ")");
            }
            store.deleteEntry(alias);
        } catch (GeneralSecurityException e) {
            throw new BundleRefused(file + ": cannot remove '" + alias + "': " + e.getMessage(), e);
        }
        save(store);
    }

    /**
     * The alias of the store's certificate that vouches for {@code chain} (signer first): the signer's own
     * certificate, or an anchor its chain validates to; null if none does.
     */
    public String trusting(List<X509Certificate> chain) throws BundleRefused {
        if (chain.isEmpty() || !Files.exists(file)) {
            return null;
        }
        KeyStore store = load();
        try {
            String direct = store.getCertificateAlias(chain.get(0));
            if (direct != null) {
                return direct;
            }
            Set<TrustAnchor> anchors = new HashSet<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.getCertificate(alias) instanceof X509Certificate x) {
                    anchors.add(new TrustAnchor(x, null));
                }
            }
            if (anchors.isEmpty()) {
                return null;
            }
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);   // offline: no CRL or OCSP to ask
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(chain), parameters);
            return store.getCertificateAlias(result.getTrustAnchor().getTrustedCert());
        } catch (CertPathValidatorException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new BundleRefused(file + ": cannot check a signer against it: " + e.getMessage(), e);
        }
    }

    private KeyStore load() throws BundleRefused {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            if (Files.exists(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    store.load(in, PASSWORD);
                }
            } else {
                store.load(null, PASSWORD);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new BundleRefused(file + ": not a PKCS12 trust store with password " + PASSWORD_TEXT + ": "
                    + JarSignature.oneLine(e.getMessage()), e);
        }
    }

    private void save(KeyStore store) throws BundleRefused {
        Path temporary = null;
        try {
            Files.createDirectories(file.getParent());
            temporary = Files.createTempFile(file.getParent(), ".truststore-", ".part");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                store.store(out, PASSWORD);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | GeneralSecurityException e) {
            throw new BundleRefused("cannot write the trust store " + file + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a leftover hidden temporary file is harmless
                }
            }
        }
    }

    static X509Certificate readCertificate(Path certificateFile) throws BundleRefused {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (all.size() != 1 || !(all.iterator().next() instanceof X509Certificate x)) {
                throw new BundleRefused(certificateFile + ": expected one X.509 certificate (PEM or DER), found " + all.size());
            }
            return x;
        } catch (CertificateException e) {
            throw new BundleRefused(certificateFile + ": not an X.509 certificate (PEM or DER): " + JarSignature.oneLine(e.getMessage()), e);
        } catch (IOException e) {
            throw new BundleRefused(certificateFile + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** An alias from the certificate's common name: lower case, letters, digits and dashes. */
    static String aliasOf(X509Certificate certificate) {
        String subject = certificate.getSubjectX500Principal().getName();
        String cn = subject;
        for (String part : subject.split(",")) {
            if (part.trim().toUpperCase(Locale.ROOT).startsWith("CN=")) {
                cn = part.trim().substring(3);
                break;
            }
        }
        String alias = cn.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return alias.isEmpty() ? "signer" : alias;
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.ofDelimiter(":").withUpperCase()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
