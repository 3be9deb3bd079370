package io.tttv2.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Keys and signatures as a third party makes them, with the running JDK's {@code keytool} and {@code jarsigner}:
 * a self-signed EC key in a PKCS12 keystore, its certificate as PEM, a signed jar; and a jar changed after signing.
 */
public final class JarSigning {

    private static final String PASSWORD = "test-password";

    private final Path keyStore;
    private final String alias;

    private JarSigning(Path keyStore, String alias) {
        this.keyStore = keyStore;
        this.alias = alias;
    }

    /** A new key {@code alias} with subject {@code CN=cn}, kept in {@code folder}. */
    public static JarSigning newKey(Path folder, String alias, String cn) throws IOException, InterruptedException {
        Path store = folder.resolve(alias + ".p12");
        run("keytool", "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-validity", "30", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        return new JarSigning(store, alias);
    }

    /** The key's certificate as a PEM file in {@code folder}. */
    public Path certificate(Path folder) throws IOException, InterruptedException {
        Path pem = folder.resolve(alias + ".pem");
        run("keytool", "-exportcert", "-rfc", "-alias", alias, "-keystore", keyStore.toString(), "-storepass", PASSWORD,
                "-file", pem.toString());
        return pem;
    }

    /** A signed copy of {@code jar} at {@code out}. */
    public Path sign(Path jar, Path out) throws IOException, InterruptedException {
        Files.copy(jar, out);
        run("jarsigner", "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-storetype", "PKCS12", out.toString(), alias);
        return out;
    }

    /** A copy of {@code jar} with {@code entry}'s content replaced and its signature files kept as they were. */
    public static Path tamper(Path jar, String entry, String content, Path out) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(e.getName().equals(entry) ? content.getBytes(StandardCharsets.UTF_8) : in.readAllBytes());
                zip.closeEntry();
            }
        }
        return out;
    }

    private static void run(String tool, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", tool).toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }
}
