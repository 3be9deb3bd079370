package io.tttv2.cli.bundles;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The user bundles accepted without a trusted signature ({@code --allow-unsigned}), each with the SHA-256 of
 * the jar as installed: {@code USER_HOME/unsigned-allowed.properties}, {@code file name = hash}. The host reads
 * it at every start (launcher/host's UserBundleTrust): such a bundle is started only while it is byte for byte
 * what was installed. Written through a temporary file and an atomic move.
 */
final class AllowedUnsigned {

    static final String FILE_NAME = "unsigned-allowed.properties";

    private final Path file;

    AllowedUnsigned(Path userHome) {
        this.file = userHome.resolve(FILE_NAME);
    }

    /** The hash recorded for {@code jarName}, or null. */
    String recorded(String jarName) throws BundleRefused {
        return load().getProperty(jarName);
    }

    /** Records {@code jarName} as allowed unsigned, with the SHA-256 of the jar as installed. */
    void set(String jarName, String sha256) throws BundleRefused {
        Properties p = load();
        p.setProperty(jarName, sha256);
        save(p);
    }

    /** Forgets {@code jarName} (removed, or installed again with a trusted signature). */
    void forget(String jarName) throws BundleRefused {
        Properties p = load();
        if (p.remove(jarName) != null) {
            save(p);
        }
    }

    static String sha256(Path jar) throws BundleRefused {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
        } catch (IOException e) {
            throw new BundleRefused(jar + ": cannot read: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    private Properties load() throws BundleRefused {
        Properties p = new Properties();
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new BundleRefused(file + ": not a properties file of jar name = SHA-256 (" + e.getMessage() + ")", e);
            }
        }
        return p;
    }

    private void save(Properties p) throws BundleRefused {
        Path temporary = null;
        try {
            Files.createDirectories(file.getParent());
            temporary = Files.createTempFile(file.getParent(), ".unsigned-allowed-", ".part");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                p.store(out, "user bundles installed with --allow-unsigned: jar = SHA-256 as installed (tttv2 bundles install)");
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BundleRefused("cannot write " + file + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a hidden leftover is never read
                }
            }
        }
    }
}
