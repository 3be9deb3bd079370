package io.tttv2.integration.hf.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tttv2.integration.hf.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random byte mutations of a real config.json (gemma3: per-layer-type RoPE, layer types, nulls): reading it
 * must succeed or fail with a one-line {@link ConfigFormatException} naming the file, never anything else.
 */
class ConfigMutationFuzzTest {
    private static final int ITERATIONS = 3000;

    @TempDir
    Path tmp;

    @Test
    void mutatedConfigsParseOrFailWithOneLine() throws IOException {
        byte[] valid = Files.readAllBytes(Fixtures.model("gemma3").resolve("config.json"));
        Random random = new Random(42);
        Path file = tmp.resolve("config.json");
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] m = valid.clone();
            for (int e = 1 + random.nextInt(2); e > 0; e--) {
                int at = random.nextInt(m.length);
                switch (random.nextInt(4)) {
                    case 0 -> m[at] = (byte) random.nextInt(256);
                    case 1 -> m[at] = (byte) "0123456789-.e\"{}[],:n ".charAt(random.nextInt(22));
                    case 2 -> m = Arrays.copyOf(m, at);
                    default -> {
                        // delete one byte
                        byte[] shorter = new byte[m.length - 1];
                        System.arraycopy(m, 0, shorter, 0, at);
                        System.arraycopy(m, at + 1, shorter, at, m.length - at - 1);
                        m = shorter;
                    }
                }
                if (m.length == 0) {
                    break;
                }
            }
            Files.write(file, m);
            try {
                HfConfig.read(file);
                parsed++;
            } catch (ConfigFormatException e) {
                assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                refused++;
            } catch (Throwable t) {
                fail("iteration " + i + ": " + t + " for " + new String(m, java.nio.charset.StandardCharsets.ISO_8859_1), t);
            }
        }
        assertTrue(parsed > 100, "parsed " + parsed);
        assertTrue(refused > 1000, "refused " + refused);
    }
}
