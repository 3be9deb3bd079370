package io.tttv2.launcher;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The framework's per-run cache folder ({@code tttv2-felix-PID-NANOS}, NANOS the clock in hex). Felix writes a
 * folder and its state files for every bundle it installs at every start (45 bundles when this was measured, 37
 * now); on the disk's file system those writes cost about 90 ms of a cold start (median start to first token
 * 1672 ms in /tmp, 1585 ms on tmpfs, six rounds each). So the folder goes on a memory-backed file system when
 * there is one: the user's runtime folder ({@code XDG_RUNTIME_DIR}), else {@code /dev/shm}, else the JDK's
 * temporary folder. A process killed before it could delete its folder leaves it behind, in memory; each start
 * deletes the folders of processes no longer alive.
 */
final class FrameworkStorage {

    static final String PREFIX = "tttv2-felix-";

    private FrameworkStorage() {
    }

    /**
     * A new, empty cache folder under {@link #root}, after sweeping stale ones there; owner-only, as a temporary
     * folder. Named by the clock, not by {@code Files.createTempDirectory}: its first call seeds a SecureRandom,
     * ≈ 10 ms of every start. Creating a folder fails if the name exists (a symbolic link included), and the
     * next name is tried.
     */
    static Path create() throws IOException {
        Path root = root(System.getenv(), Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir")));
        sweepStale(root);
        String owner = PREFIX + ProcessHandle.current().pid() + "-";
        FileAttribute<?>[] ownerOnly = root.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
        for (int attempt = 0; ; attempt++) {
            try {
                return Files.createDirectory(root.resolve(owner + Long.toHexString(System.nanoTime())), ownerOnly);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** The first writable folder of: {@code XDG_RUNTIME_DIR}, {@code shm}, {@code tmp} (returned as is). */
    static Path root(Map<String, String> env, Path shm, Path tmp) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && writableFolder(Path.of(runtime))) {
            return Path.of(runtime);
        }
        return writableFolder(shm) ? shm : tmp;
    }

    /**
     * Deletes every {@code tttv2-felix-PID-*} folder in {@code root} whose process is gone. A folder of a live
     * process (or of a reused PID) is left alone; so are other names, the old {@code tttv2-felix-RANDOM}, and
     * anything that is not a folder (a symbolic link by that name is not followed).
     */
    static void sweepStale(Path root) {
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(root, PREFIX + "*")) {
            for (Path folder : folders) {
                long pid = ownerPid(folder.getFileName().toString());
                if (pid > 0 && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS) && ProcessHandle.of(pid).isEmpty()) {
                    deleteQuietly(folder);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a folder that cannot be listed or swept only keeps its leftovers
        }
    }

    /** The PID in {@code tttv2-felix-PID-NANOS}, or -1 for any other name. */
    static long ownerPid(String name) {
        if (!name.startsWith(PREFIX)) {
            return -1;
        }
        int end = name.indexOf('-', PREFIX.length());
        if (end <= PREFIX.length()) {
            return -1;
        }
        try {
            return Long.parseLong(name.substring(PREFIX.length(), end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a leftover folder is swept by a later start
        }
    }

    private static boolean writableFolder(Path folder) {
        return Files.isDirectory(folder) && Files.isWritable(folder);
    }
}
