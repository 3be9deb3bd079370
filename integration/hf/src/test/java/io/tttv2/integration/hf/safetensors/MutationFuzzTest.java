package io.tttv2.integration.hf.safetensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random byte mutations of a small valid file: opening must either succeed — and then every tensor's bytes
 * are readable within the file — or fail with a {@link CheckpointFormatException} whose message is one line
 * starting with the file. Anything else (another exception, an error, a crash) fails the test. Seeded, so a
 * failure reproduces.
 */
class MutationFuzzTest {
    private static final int ITERATIONS = 4000;

    @TempDir
    Path tmp;

    private static byte[] validFile(Path dir) throws IOException {
        Path seed = dir.resolve("seed.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .addF32("model.layers.0.self_attn.q_proj.weight", new long[] {4, 4}, new float[16])
                .addI64("input_ids", new long[] {2, 3}, new long[] {1, 2, 3, 4, 5, 6})
                .add("norm", Dtype.BF16, new long[] {6}, java.lang.foreign.MemorySegment.ofArray(new byte[12]))
                .add("flag", Dtype.BOOL, new long[] {3}, java.lang.foreign.MemorySegment.ofArray(new byte[] {1, 0, 1}))
                .write(seed);
        return Files.readAllBytes(seed);
    }

    @Test
    void mutatedFilesOpenOrFailWithOneLine() throws IOException {
        byte[] valid = validFile(tmp);
        int headerEnd = 8 + (valid[0] & 0xff) + ((valid[1] & 0xff) << 8);
        Random random = new Random(20250101L);
        Path file = tmp.resolve("mutant.safetensors");
        int opened = 0;
        int refused = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] mutant = mutate(valid, headerEnd, random);
            Files.write(file, mutant);
            try (SafetensorsFile f = SafetensorsFile.open(file)) {
                long total = 0;
                for (TensorEntry e : f.entries()) {
                    byte[] bytes = e.data().toArray(ValueLayout.JAVA_BYTE);
                    assertEquals(e.elementCount() * e.dtype().byteSize(), bytes.length);
                    total += bytes.length;
                }
                assertTrue(total <= mutant.length - 8, "tensors cover more than the file");
                opened++;
            } catch (CheckpointFormatException e) {
                String m = e.getMessage();
                assertTrue(m.startsWith(file + ": "), m);
                assertFalse(m.contains("\n") || m.contains("\r"), m);
                assertTrue(m.length() < 600, "message too long: " + m.length());
                refused++;
            } catch (Throwable t) {
                fail("iteration " + i + ": " + t + " for " + Arrays.toString(mutant), t);
            }
        }
        // the mutations must exercise both outcomes, or the test proves little
        assertTrue(opened > 50, "opened " + opened);
        assertTrue(refused > 1000, "refused " + refused);
    }

    /** One to three edits, biased towards the header where the interesting failures are. */
    private static byte[] mutate(byte[] valid, int headerEnd, Random random) {
        byte[] m = valid.clone();
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            switch (random.nextInt(8)) {
                case 0 -> m[random.nextInt(m.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> {
                    int at = 8 + random.nextInt(headerEnd - 8);
                    if (at < m.length) {
                        m[at] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> {
                    // a digit of an offset or a dimension becomes another digit
                    int at = 8 + random.nextInt(headerEnd - 8);
                    if (at < m.length && m[at] >= '0' && m[at] <= '9') {
                        m[at] = (byte) ('0' + random.nextInt(10));
                    }
                }
                case 3 -> m = Arrays.copyOf(m, random.nextInt(m.length + 1)); // truncate
                case 4 -> {
                    byte[] longer = Arrays.copyOf(m, m.length + 1 + random.nextInt(16)); // append zeros
                    m = longer;
                }
                case 5 -> {
                    if (m.length >= 8) {
                        m[random.nextInt(8)] = (byte) random.nextInt(256); // length prefix
                    }
                }
                case 6 -> {
                    // swap two header characters: reorders structure
                    int a = 8 + random.nextInt(headerEnd - 8);
                    int b = 8 + random.nextInt(headerEnd - 8);
                    if (a < m.length && b < m.length) {
                        byte x = m[a];
                        m[a] = m[b];
                        m[b] = x;
                    }
                }
                default -> {
                    // duplicate a digit inside the header (shifts everything after it by one)
                    int at = 8 + random.nextInt(headerEnd - 8);
                    if (at < m.length && m[at] >= '0' && m[at] <= '9') {
                        byte[] grown = new byte[m.length + 1];
                        System.arraycopy(m, 0, grown, 0, at + 1);
                        System.arraycopy(m, at, grown, at + 1, m.length - at);
                        m = grown;
                    }
                }
            }
            if (m.length == 0) {
                break;
            }
        }
        return m;
    }
}
