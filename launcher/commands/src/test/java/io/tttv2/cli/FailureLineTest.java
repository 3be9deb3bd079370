package io.tttv2.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Every failure is one line; the trace comes only with --verbose. */
class FailureLineTest {

    private static String[] report(Throwable t, boolean verbose, int expectedCode) {
        StringWriter err = new StringWriter();
        assertEquals(expectedCode, FailureLine.report(t, new PrintWriter(err), verbose));
        return err.toString().split("\\R");
    }

    @Test
    void outOfMemoryNamesTheHeapOptionAndShowsNoTrace() {
        String[] lines = report(new OutOfMemoryError("Java heap space"), false, 1);
        assertEquals(1, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("tttv2: out of memory (Java heap space, heap limit "), lines[0]);
        assertTrue(lines[0].contains("TTTV2_JAVA_OPTS=-Xmx"), lines[0]);
    }

    @Test
    void verboseKeepsTheTrace() {
        String[] lines = report(new OutOfMemoryError("Java heap space"), true, 1);
        assertTrue(lines.length > 1);
        assertTrue(lines[1].contains("java.lang.OutOfMemoryError"), lines[1]);
    }

    @Test
    void userErrorsKeepTheirMessageAndExitCode() {
        assertEquals("tttv2: --top-k: expected ≥ 0, found -1",
                report(new UserError("--top-k: expected ≥ 0, found -1", 2, null), false, 2)[0]);
    }

    @Test
    void wrappersAreOpenedAndFilesNamed() {
        String[] lines = report(new UncheckedIOException(new NoSuchFileException("/x/config.json")), false, 1);
        assertEquals("tttv2: /x/config.json: no such file", lines[0]);
    }

    @Test
    void internalErrorsSayWhereInOneLine() {
        String[] lines = report(new IllegalStateException("two\nlines"), false, 1);
        assertEquals(1, lines.length);
        assertTrue(lines[0].startsWith("tttv2: internal error: IllegalStateException: two lines at FailureLineTest."),
                lines[0]);
        assertTrue(lines[0].endsWith("(run with --verbose for the trace)"), lines[0]);
    }

    @Test
    void stackOverflowIsOneLine() {
        String[] lines = report(new StackOverflowError(), false, 1);
        assertEquals(1, lines.length);
        assertFalse(lines[0].contains("java.lang"), lines[0]);
    }
}
