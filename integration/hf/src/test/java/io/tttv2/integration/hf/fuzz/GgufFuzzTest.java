package io.tttv2.integration.hf.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tttv2.integration.hf.gguf.GgufOpening;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes as a .gguf file: it opens, and then every tensor's bytes and every metadata value are readable, or it
 * is refused with one line naming the file (never another exception, never an allocation sized by a count taken
 * on trust). A build runs the checked-in corpus; {@code scripts/fuzz.sh gguf} fuzzes for real.
 */
class GgufFuzzTest {
    private static final Path FILE = FuzzFiles.path("fuzz.gguf");

    @FuzzTest(maxDuration = FuzzFiles.LONG_RUN)
    void opensOrRefusesInOneLine(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        GgufOpening.opensOrRefusesInOneLine(FILE);
    }
}
