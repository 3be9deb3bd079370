package io.tttv2.integration.hf.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import io.tttv2.integration.hf.safetensors.SafetensorsFile;
import io.tttv2.integration.hf.safetensors.TensorEntry;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes as a .safetensors file: it opens, and then every tensor lies inside the file with as many bytes as
 * its shape and dtype say, or it is refused with one line naming the file. Any other exception is a finding.
 */
class SafetensorsFuzzTest {
    private static final Path FILE = FuzzFiles.path("fuzz.safetensors");

    @FuzzTest(maxDuration = FuzzFiles.LONG_RUN)
    void opensOrRefusesInOneLine(byte[] bytes) throws IOException {
        Files.write(FILE, bytes);
        try (SafetensorsFile file = SafetensorsFile.open(FILE)) {
            long total = 0;
            for (TensorEntry e : file.entries()) {
                long size = e.data().byteSize();
                assertEquals(e.elementCount() * e.dtype().byteSize(), size);
                total += size;
                if (size > 0) {
                    e.data().get(ValueLayout.JAVA_BYTE, size - 1);    // the last byte is readable
                }
            }
            assertTrue(total <= bytes.length - 8, "tensors cover more than the file");
        } catch (CheckpointFormatException e) {
            FuzzFiles.assertOneLine(FILE, e.getMessage());
        }
    }
}
