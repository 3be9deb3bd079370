package io.tttv2.integration.hf.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where fuzz targets write their input (the readers take files), and what their refusals must look like. */
final class FuzzFiles {
    /**
     * How long one fuzzing run may last (JAZZER_FUZZ=1); bound it by executions instead with
     * {@code -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-runs=N} (scripts/fuzz.sh). A build never fuzzes:
     * it runs the checked-in corpus as regression tests.
     */
    static final String LONG_RUN = "2h";
    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("tttv2-fuzz");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FuzzFiles() {
    }

    static Path path(String name) {
        Path file = DIR.resolve(name);
        file.toFile().deleteOnExit();
        return file;
    }

    /** One line that names the file it is about. */
    static void assertOneLine(Path file, String message) {
        assertTrue(message != null && message.startsWith(file.toString()), "does not name the file: " + message);
        assertFalse(message.contains("\n") || message.contains("\r"), "more than one line: " + message);
    }
}
