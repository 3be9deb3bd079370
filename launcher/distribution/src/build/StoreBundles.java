import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites every jar of a folder with its entries STORED (uncompressed), same names, order, bytes and times. The
 * host reads each bundle class out of its jar at every start (Felix, {@code reference:} installs; the AOT cache
 * holds only the class path's classes), and inflating them was ≈ 5 % of a fresh process's main thread; stored,
 * reading is a copy. The folder grows (the distribution's bundles/ 18 → 34 MB). Signed jars would stay valid
 * (signatures cover entry bytes, not their compression), and none is signed.
 *
 * <p>Run by the distribution build: {@code java StoreBundles.java DIR}. Each jar is written beside itself, read
 * back and compared (names and CRCs) before it replaces the original: a failure leaves the original and exits 1.
 */
public final class StoreBundles {

    public static void main(String[] args) throws IOException {
        if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
            System.err.println("usage: java StoreBundles.java DIR (a folder of jars)");
            System.exit(2);
        }
        int n = 0;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
            for (Path jar : jars) {
                try {
                    store(jar);
                    n++;
                } catch (IOException | RuntimeException e) {
                    System.err.println("StoreBundles: " + jar + ": " + e.getMessage());
                    System.exit(1);
                }
            }
        }
        System.out.println("StoreBundles: " + n + " jars in " + args[0] + " stored uncompressed");
    }

    private record Entry(String name, long crc, long size) {
    }

    static void store(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".stored");
        List<Entry> written = new ArrayList<>();
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(tmp);
             ZipOutputStream out = new ZipOutputStream(file)) {
            out.setMethod(ZipOutputStream.STORED);
            if (in.getComment() != null) {
                out.setComment(in.getComment());
            }
            // the archive's own order: a jar's manifest comes first and stays first
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                byte[] bytes;
                try (InputStream s = in.getInputStream(e)) {
                    bytes = s.readAllBytes();
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                ZipEntry stored = new ZipEntry(e.getName());
                stored.setMethod(ZipEntry.STORED);
                stored.setSize(bytes.length);
                stored.setCompressedSize(bytes.length);
                stored.setCrc(crc.getValue());
                stored.setTime(e.getTime());
                if (e.getExtra() != null) {
                    stored.setExtra(e.getExtra());
                }
                if (e.getComment() != null) {
                    stored.setComment(e.getComment());
                }
                out.putNextEntry(stored);
                out.write(bytes);
                out.closeEntry();
                written.add(new Entry(e.getName(), crc.getValue(), bytes.length));
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        check(tmp, written);
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads {@code jar} back: the same entries in the same order, each stored, with the CRC of the original bytes. */
    private static void check(Path jar, List<Entry> expected) throws IOException {
        List<Entry> found = new ArrayList<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.getMethod() != ZipEntry.STORED) {
                    throw new IOException("entry " + e.getName() + " expected STORED, found method " + e.getMethod());
                }
                CRC32 crc = new CRC32();
                try (InputStream s = z.getInputStream(e)) {
                    crc.update(s.readAllBytes());
                }
                found.add(new Entry(e.getName(), crc.getValue(), e.getSize()));
            }
        }
        if (!found.equals(expected)) {
            Files.deleteIfExists(jar);
            throw new IOException("the stored copy differs from the original (entries or CRCs)");
        }
    }
}
