package io.tttv2.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Failures outside any command (host start, other threads) are one line as well. */
class MainTest {

    @Test
    void outOfMemoryNamesTheOptionThatRaisesTheHeap() {
        String line = Main.describe(new OutOfMemoryError("Java heap space"));
        assertTrue(line.startsWith("out of memory (heap limit "), line);
        assertTrue(line.endsWith("raise the heap, e.g. TTTV2_JAVA_OPTS=-Xmx4g ./tttv2 …"), line);
    }

    @Test
    void anInternalErrorIsOneLine() {
        assertEquals("internal error: IllegalStateException: two lines (run with --verbose for the trace)",
                Main.describe(new IllegalStateException("two\n  lines")));
    }
}
