package io.tttv2.contrib.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading OpenBLAS (installed by ./test's prerequisites: Debian libopenblas0), and failing to, quietly. */
class OpenBlasLibraryTest {

    @Test
    void loadsTheInstalledOpenBlas() {
        OpenBlasLibrary.Loaded loaded = OpenBlasLibrary.load(OpenBlasLibrary.NAMES);
        assertTrue(loaded.available(), loaded.unavailable());
        assertTrue(OpenBlasLibrary.NAMES.contains(loaded.name()), loaded.name());
        assertNull(loaded.unavailable());
    }

    @Test
    void aMissingLibraryIsReportedUnavailableNamingEveryNameTriedNotThrown() {
        OpenBlasLibrary.Loaded loaded = OpenBlasLibrary.load(List.of("tttv2-no-such-blas", "libtttv2-no-such-blas.so.0"));
        assertFalse(loaded.available());
        assertNull(loaded.blas());
        String why = loaded.unavailable();
        assertTrue(why.startsWith("OpenBLAS not found (install Debian's libopenblas0); tried tttv2-no-such-blas: "), why);
        assertTrue(why.contains("; libtttv2-no-such-blas.so.0: "), why);
        assertEquals(1, why.lines().count(), why);
    }
}
