package io.tttv2.registry;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tttv2.api.assembly.AssemblyFormatException;
import java.io.ByteArrayInputStream;

/**
 * Any bytes as an assembly descriptor (--assembly FILE, a model's assembly.json): read, or refused with one line
 * naming the source. Any other exception is a finding. (The corpus is in src/test/resources/…/AssemblyJsonFuzzTestInputs.)
 */
class AssemblyJsonFuzzTest {

    @FuzzTest(maxDuration = "2h")
    void readsOrRefusesInOneLine(byte[] bytes) {
        try {
            AssemblyJson.read(new ByteArrayInputStream(bytes), "assembly.json");
        } catch (AssemblyFormatException e) {
            assertTrue(e.getMessage().startsWith("assembly.json"), "does not name the source: " + e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "more than one line: " + e.getMessage());
        }
    }
}
