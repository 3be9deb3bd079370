package io.tttv2.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user folder the host reads: where it is, and which of its files are bundles. */
class UserBundlesTest {

    @Test
    void homeIsTheHomeOptionWhereverItStandsElseTheUsersDotFolder(@TempDir Path dir) {
        assertEquals(dir.resolve("h"), HostOptions.scan(List.of("validate", "--home", dir.resolve("h").toString())).userHome());
        assertEquals(dir.resolve("h"), HostOptions.scan(List.of("--home=" + dir.resolve("h"), "modules")).userHome());
        assertEquals(Path.of(System.getProperty("user.home"), ".tttv2"), HostOptions.scan(List.of("modules")).userHome());
        // after "--", arguments are the command's, not the host's
        assertEquals(Path.of(System.getProperty("user.home"), ".tttv2"),
                HostOptions.scan(List.of("generate", "--", "--home", "x")).userHome());
    }

    @Test
    void onlyFinishedJarsAreListedInNameOrder(@TempDir Path home) throws Exception {
        assertEquals(List.of(), UserBundles.list(home), "no bundles folder: no user bundles");
        Path folder = Files.createDirectories(home.resolve("bundles"));
        Files.writeString(folder.resolve("b-1.0.0.jar"), "b");
        Files.writeString(folder.resolve("a-2.0.0.jar"), "a");
        Files.writeString(folder.resolve(".install-123.part"), "half");
        Files.writeString(folder.resolve(".hidden.jar"), "hidden");
        Files.writeString(folder.resolve("notes.txt"), "n");
        Files.createDirectories(folder.resolve("dir.jar"));
        assertEquals(List.of(folder.resolve("a-2.0.0.jar"), folder.resolve("b-1.0.0.jar")), UserBundles.list(home));
    }
}
