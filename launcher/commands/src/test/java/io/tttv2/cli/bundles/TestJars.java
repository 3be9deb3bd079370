package io.tttv2.cli.bundles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Jars, keys and signatures for the tests, made with the JDK's own tools ({@code keytool}, {@code jarsigner}
 * from the running JDK), as a third party would make them.
 */
final class TestJars {

    static final String STORE_PASSWORD = "test-password";

    private TestJars() {
    }

    /** A bundle jar with the given manifest headers and entries. */
    static Path bundle(Path file, Map<String, String> headers, Map<String, String> entries) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file), manifest)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                jar.closeEntry();
            }
        }
        return file;
    }

    /** A key pair in a PKCS12 keystore {@code folder/alias.p12}, self-signed with subject {@code CN=cn}. */
    static Path keyStore(Path folder, String alias, String cn) throws IOException, InterruptedException {
        Path store = folder.resolve(alias + ".p12");
        run(tool("keytool"), "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-validity", "30", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        return store;
    }

    /** The certificate of {@code alias} in {@code store}, as PEM ({@code keytool -exportcert -rfc}). */
    static Path certificate(Path store, String alias, Path pem) throws IOException, InterruptedException {
        run(tool("keytool"), "-exportcert", "-rfc", "-alias", alias, "-keystore", store.toString(),
                "-storepass", STORE_PASSWORD, "-file", pem.toString());
        return pem;
    }

    /** Signs {@code jar} in place with {@code jarsigner}. */
    static Path sign(Path jar, Path store, String alias) throws IOException, InterruptedException {
        run(tool("jarsigner"), "-keystore", store.toString(), "-storepass", STORE_PASSWORD, "-storetype", "PKCS12",
                jar.toString(), alias);
        return jar;
    }

    /** A copy of {@code jar} with {@code entry}'s content replaced, the signature files kept as they were. */
    static Path tamper(Path jar, String entry, String content, Path out) throws IOException {
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

    /** A copy of {@code jar} with one more entry, written after the signature. */
    static Path addEntry(Path jar, String entry, String content, Path out) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar));
             ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(in.readAllBytes());
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(content.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return out;
    }

    static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream(); OutputStream sink = output) {
            in.transferTo(sink);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
