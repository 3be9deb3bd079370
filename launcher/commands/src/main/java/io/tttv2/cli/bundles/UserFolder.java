package io.tttv2.cli.bundles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;

/**
 * The user's folder ({@code ~/.tttv2}, or {@code --home DIR}): {@code bundles/} holds the bundles the host
 * installs after the distribution's, {@code truststore.p12} the keys trusted to sign them. It is never the
 * build output, so it survives rebuilds. A bundle arrives by a copy to a hidden temporary file in
 * {@code bundles/}, which is verified, forced to disk and then moved into place atomically: the folder never
 * holds half a jar, and the host never lists a temporary file. A bundle accepted without a trusted signature
 * ({@code --allow-unsigned}) is recorded with its hash in {@code unsigned-allowed.properties}: the host checks
 * every user bundle again at each start and starts such a one only while it is unchanged.
 */
public final class UserFolder {

    /** One installed user bundle. */
    public record UserBundle(Path file, String symbolicName, Version version) {
        public String id() {
            return symbolicName + "/" + version;
        }
    }

    private final Path root;

    public UserFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The user folder of the host this command runs in: {@code --home DIR}, else {@code ~/.tttv2}. */
    public static UserFolder of(BundleContext context) {
        String home = context.getProperty(BundlesCommand.USER_HOME_PROPERTY);
        return new UserFolder(home == null || home.isBlank()
                ? Path.of(System.getProperty("user.home"), ".tttv2") : Path.of(home));
    }

    public Path root() {
        return root;
    }

    public Path bundlesFolder() {
        return root.resolve("bundles");
    }

    /** The bundles installed with {@code --allow-unsigned}, with their hashes as installed. */
    AllowedUnsigned allowedUnsigned() {
        return new AllowedUnsigned(root);
    }

    public TrustStore trustStore() {
        return new TrustStore(root.resolve("truststore.p12"));
    }

    /** True if {@code location} (a framework bundle location) is a jar of this folder. */
    public boolean holds(String location) {
        return location != null && location.contains(bundlesFolder().toUri().toString());
    }

    /** The installed bundles, in file name order (as the host installs them). */
    public List<UserBundle> bundles() throws BundleRefused {
        Path folder = bundlesFolder();
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<UserBundle> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".jar") || name.startsWith(".")) {
                    continue;
                }
                out.add(read(file));
            }
        } catch (IOException e) {
            throw new BundleRefused("cannot list " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static UserBundle read(Path file) {
        try (JarFile jar = new JarFile(file.toFile(), false)) {
            Manifest manifest = jar.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
            String version = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-Version");
            return new UserBundle(file, bsn == null ? "(no symbolic name)" : bsn.split(";")[0].trim(),
                    Version.parseVersion(version == null ? "0" : version.trim()));
        } catch (IOException | IllegalArgumentException e) {
            return new UserBundle(file, "(unreadable)", Version.emptyVersion);
        }
    }

    /**
     * Verifies {@code jar} as it will be installed and moves it into {@code bundles/}, replacing an installed
     * older or newer version of the same bundle.
     *
     * @return what was installed
     * @throws BundleRefused for whatever {@code verify} refuses, a second install of the same version, or a
     *                       failed write (the folder is left as it was)
     */
    public VerifiedBundle install(Path jar, BundleVerifier verifier, boolean allowUnsigned) throws BundleRefused {
        String display = jar.getFileName().toString();
        if (!Files.isRegularFile(jar)) {
            throw new BundleRefused(display + ": no such file");
        }
        Path folder = bundlesFolder();
        Path temporary = null;
        try {
            Files.createDirectories(folder);
            temporary = Files.createTempFile(folder, ".install-", ".part");
            // verify the copy, not the original: what is checked is exactly what gets installed
            Files.copy(jar, temporary, StandardCopyOption.REPLACE_EXISTING);
            VerifiedBundle verified = verifier.verify(temporary, display, allowUnsigned);
            Path target = folder.resolve(verified.fileName());
            for (UserBundle installed : bundles()) {
                if (installed.symbolicName().equals(verified.symbolicName()) && installed.version().equals(verified.version())) {
                    throw new BundleRefused(display + ": " + verified.symbolicName() + " " + verified.version()
                            + " is already installed (" + installed.file().getFileName() + "); remove it first, or raise Bundle-Version");
                }
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            // recorded before the move: the host starts a bundle without a trusted signature only as recorded
            AllowedUnsigned allowed = allowedUnsigned();
            if (verified.trustedAs() == null) {
                allowed.set(target.getFileName().toString(), AllowedUnsigned.sha256(temporary));
            } else {
                allowed.forget(target.getFileName().toString());
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            for (UserBundle installed : bundles()) {
                if (installed.symbolicName().equals(verified.symbolicName()) && !installed.file().equals(target)) {
                    Files.delete(installed.file());    // the version it replaces
                    allowed.forget(installed.file().getFileName().toString());
                }
            }
            return verified;
        } catch (IOException e) {
            throw new BundleRefused(display + ": cannot write into " + folder + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // a hidden leftover is never listed, by the host nor here
                }
            }
        }
    }
}
