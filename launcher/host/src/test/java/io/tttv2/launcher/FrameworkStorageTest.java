package io.tttv2.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the framework's per-run cache folder goes, and which leftovers a start deletes. */
class FrameworkStorageTest {

    @Test
    void theRuntimeFolderThenShmThenTheTemporaryFolder(@TempDir Path dir) throws Exception {
        Path runtime = Files.createDirectories(dir.resolve("run"));
        Path shm = Files.createDirectories(dir.resolve("shm"));
        Path tmp = dir.resolve("tmp");
        assertEquals(runtime, FrameworkStorage.root(Map.of("XDG_RUNTIME_DIR", runtime.toString()), shm, tmp));
        assertEquals(shm, FrameworkStorage.root(Map.of(), shm, tmp));
        assertEquals(shm, FrameworkStorage.root(Map.of("XDG_RUNTIME_DIR", dir.resolve("absent").toString()), shm, tmp));
        assertEquals(shm, FrameworkStorage.root(Map.of("XDG_RUNTIME_DIR", " "), shm, tmp));
        assertEquals(tmp, FrameworkStorage.root(Map.of(), dir.resolve("no-shm"), tmp));
    }

    @Test
    void eachFolderIsNewOwnerOnlyAndNamedByThisProcess() throws Exception {
        Path first = FrameworkStorage.create();
        Path second = FrameworkStorage.create();
        try {
            assertNotEquals(first, second);
            assertEquals(ProcessHandle.current().pid(), FrameworkStorage.ownerPid(first.getFileName().toString()));
            assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(first));
            try (Stream<Path> entries = Files.list(first)) {
                assertEquals(0, entries.count());
            }
        } finally {
            FrameworkStorage.deleteQuietly(first);
            FrameworkStorage.deleteQuietly(second);
        }
        assertFalse(Files.exists(first));
    }

    @Test
    void theOwnerPidIsReadFromTheName() {
        assertEquals(4321, FrameworkStorage.ownerPid("tttv2-felix-4321-98765"));
        assertEquals(-1, FrameworkStorage.ownerPid("tttv2-felix-98765"), "the old name, RANDOM only");
        assertEquals(-1, FrameworkStorage.ownerPid("tttv2-felix--1"));
        assertEquals(-1, FrameworkStorage.ownerPid("tttv2-felix-x1-2"));
        assertEquals(-1, FrameworkStorage.ownerPid("other-12-3"));
    }

    @Test
    void aStartDeletesOnlyTheFoldersOfProcessesThatAreGone(@TempDir Path root) throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path stale = Files.createDirectories(root.resolve(FrameworkStorage.PREFIX + ended.pid() + "-1"));
        Files.writeString(Files.createDirectories(stale.resolve("bundle1")).resolve("bundle.info"), "x");
        Path live = Files.createDirectories(root.resolve(FrameworkStorage.PREFIX + ProcessHandle.current().pid() + "-2"));
        Path old = Files.createDirectories(root.resolve(FrameworkStorage.PREFIX + "123456"));
        Path other = Files.createDirectories(root.resolve("someone-else-1-2"));
        Path target = Files.createDirectories(root.resolve("target"));
        Files.writeString(target.resolve("kept"), "x");
        Path link = Files.createSymbolicLink(root.resolve(FrameworkStorage.PREFIX + ended.pid() + "-3"), target);

        FrameworkStorage.sweepStale(root);

        assertFalse(Files.exists(stale), "the ended process's folder, with its contents, is deleted");
        assertTrue(Files.isDirectory(live));
        assertTrue(Files.isDirectory(old));
        assertTrue(Files.isDirectory(other));
        assertTrue(Files.isSymbolicLink(link), "a link by a stale name is not a folder: not followed, not deleted");
        assertTrue(Files.exists(target.resolve("kept")));
    }
}
