package io.tttv2.integration.hf.gguf;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** The property the GGUF fuzz tests check: a file opens (and reads whole) or is refused in one line. */
public final class GgufOpening {
    private GgufOpening() {
    }

    /** True if it opened, false if it was refused in one line; throws AssertionError otherwise. */
    public static boolean opensOrRefusesInOneLine(Path file) {
        try (GgufFile f = GgufFile.open(file)) {
            for (GgufTensorInfo t : f.tensors()) {
                byte[] bytes = f.data(t).toArray(ValueLayout.JAVA_BYTE);
                if (bytes.length != t.bytes()) {
                    throw new AssertionError(t.name() + ": " + bytes.length + " bytes, expected " + t.bytes());
                }
            }
            f.metadata().values().forEach((k, v) -> v.toString());
            return true;
        } catch (GgufFormatException e) {
            String m = e.getMessage();
            if (!m.startsWith(file.toString()) || m.contains("\n")) {
                throw new AssertionError("not one line naming the file: " + m, e);
            }
            return false;
        }
    }
}
