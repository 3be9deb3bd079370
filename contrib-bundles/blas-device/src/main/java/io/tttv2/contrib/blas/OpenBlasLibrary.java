package io.tttv2.contrib.blas;

import com.sun.jna.Native;
import java.util.ArrayList;
import java.util.List;

/**
 * Finding OpenBLAS. JNA maps {@code openblas} to {@code libopenblas.so}, which only the {@code -dev} package
 * installs; Debian's runtime package {@code libopenblas0} ships the soname {@code libopenblas.so.0}, which
 * dlopen finds by that full name. Both are tried, in order.
 */
public final class OpenBlasLibrary {

    /** The names tried: JNA's short name, then the runtime package's soname. */
    public static final List<String> NAMES = List.of("openblas", "libopenblas.so.0");

    private OpenBlasLibrary() {
    }

    /** OpenBLAS, or why it is not available (never throws for a missing library). */
    public static Loaded load(List<String> names) {
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                return new Loaded(Native.load(name, CBlas.class), name, null);
            } catch (UnsatisfiedLinkError e) {
                failures.add(name + ": " + firstLines(e.getMessage()));
            }
        }
        return new Loaded(null, null, "OpenBLAS not found (install Debian's libopenblas0); tried " + String.join("; ", failures));
    }

    /** JNA's message on one line: "Unable to load library 'x':" and the dlopen error after it. */
    private static String firstLines(String message) {
        if (message == null) {
            return "not found";
        }
        return String.join(" ", message.lines().map(String::strip).filter(l -> !l.isEmpty()).limit(2).toList());
    }

    /**
     * The outcome of a load.
     *
     * @param blas        the bound library, or null
     * @param name        the name it loaded by, or null
     * @param unavailable why it did not load, or null
     */
    public record Loaded(CBlas blas, String name, String unavailable) {

        public boolean available() {
            return blas != null;
        }
    }
}
