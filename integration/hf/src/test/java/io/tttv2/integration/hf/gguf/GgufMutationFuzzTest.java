package io.tttv2.integration.hf.gguf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random byte mutations of a small valid GGUF file: opening either succeeds — and then every tensor's bytes
 * and every metadata value are readable — or fails with a {@link GgufFormatException} of one line starting with
 * the file. Anything else (another exception, an OutOfMemoryError from a count taken on trust) fails the test.
 * Seeded, so a failure reproduces; scripts/fuzz.sh gguf runs the same property unbounded under Jazzer.
 */
class GgufMutationFuzzTest {
    private static final int ITERATIONS = 3000;

    @TempDir
    Path tmp;

    @Test
    void mutatedFilesOpenOrFailWithOneLine() throws IOException {
        byte[] valid = GgufFiles.small(tmp);
        Random random = new Random(20261204L);
        Path file = tmp.resolve("mutant.gguf");
        int opened = 0;
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] mutant = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = random.nextInt(mutant.length);
                mutant[at] = random.nextInt(3) == 0 ? (byte) 0xff : (byte) random.nextInt(256);
            }
            Files.write(file, mutant);
            if (GgufOpening.opensOrRefusesInOneLine(file)) {
                opened++;
            } else {
                refused++;
            }
        }
        assertTrue(opened > 0 && refused > 0, "opened " + opened + ", refused " + refused);
    }
}
