package io.tttv2.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.assembly.SpecializationKey;
import io.tttv2.api.candidate.ModuleKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpecializationRegistryTest {

    private static final SpecializationKey MLP = new SpecializationKey(ModuleKind.MLP, "tttv2/mlp/gated", "1.0.0",
            "0123456789abcdef", "ctx<=256", "cpu/2");

    private static SpecializationTable table(String json) {
        return SpecializationTable.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "t.json");
    }

    private static String entry(String kind, String version, String config) {
        return "{\"kind\": \"" + kind + "\", \"candidate\": \"tttv2/mlp/gated\", \"candidateVersion\": \"" + version
                + "\", \"fingerprint\": \"0123456789abcdef\", \"shapeBucket\": \"ctx<=256\", \"device\": \"cpu/2\","
                + " \"config\": " + config + "}";
    }

    @Test
    void aTunedEntryIsFoundWithItsKnobs() {
        SpecializationRegistry registry = new SpecializationRegistry(null,
                List.of(table("{\"entries\": [" + entry("mlp", "1.0.0", "{\"matmulSplit\": 2, \"prefillChunk\": 64}") + "]}")));
        Specialization s = registry.lookup(MLP);
        assertTrue(s.hit(), s.message());
        assertEquals(Map.of("matmulSplit", 2, "prefillChunk", 64), s.tuned());
        assertEquals("t.json", s.source());
    }

    @Test
    void aStaleEntryIsIgnoredWithAMessageNamingBothVersions() {
        SpecializationRegistry registry = new SpecializationRegistry(null,
                List.of(table("{\"entries\": [" + entry("mlp", "0.9.0", "{\"matmulSplit\": 2}") + "]}")));
        Specialization s = registry.lookup(MLP);
        assertFalse(s.hit());
        assertTrue(s.tuned().isEmpty());
        assertTrue(s.message().startsWith("miss: stale entry ignored (t.json entries[0] is for tttv2/mlp/gated 0.9.0, running 1.0.0)"),
                s.message());
    }

    @Test
    void aMissNamesTheKey() {
        Specialization s = new SpecializationRegistry(null, List.of(table("{\"entries\": []}"))).lookup(MLP);
        assertFalse(s.hit());
        assertEquals("miss: no entry for mlp tttv2/mlp/gated 1.0.0 0123456789abcdef ctx<=256 cpu/2; defaults used", s.message());
    }

    @Test
    void theUserTableComesFirst() {
        SpecializationRegistry registry = new SpecializationRegistry(
                table("{\"entries\": [" + entry("mlp", "1.0.0", "{\"matmulSplit\": 8}") + "]}"),
                List.of(table("{\"entries\": [" + entry("mlp", "1.0.0", "{\"matmulSplit\": 2}") + "]}")));
        assertEquals(Map.of("matmulSplit", 8), registry.lookup(MLP).tuned());
    }

    @Test
    void anUnknownKindIsOneLineNamingTheFileAndEntryAndTheRestIsUsed() {
        SpecializationTable t = table("{\"entries\": [" + entry("warp-drive", "1.0.0", "{\"matmulSplit\": 2}") + ", "
                + entry("mlp", "1.0.0", "{\"matmulSplit\": 3}") + "]}");
        assertEquals(List.of("t.json: entries[0].kind expected a module kind, found unknown kind 'warp-drive'; entry ignored, defaults used"),
                t.problems());
        assertEquals(Map.of("matmulSplit", 3), new SpecializationRegistry(null, List.of(t)).lookup(MLP).tuned());
    }

    @Test
    void anUnknownKnobOrABadValueSkipsTheEntry() {
        SpecializationTable t = table("{\"entries\": [" + entry("mlp", "1.0.0", "{\"tileSize\": 2}") + ", "
                + entry("mlp", "1.0.0", "{\"matmulSplit\": -1}") + "]}");
        assertEquals(2, t.problems().size(), t.problems().toString());
        assertTrue(t.problems().get(0).startsWith("t.json: key 'entries[0].config.tileSize' expected a knob"), t.problems().get(0));
        assertTrue(t.entries().isEmpty());
    }

    @Test
    void aMalformedTableIsOneLineAndDefaultsAreUsed() {
        SpecializationTable t = table("{\"entries\": {}}");
        assertEquals(List.of("t.json: key 'entries' expected a list of entries, found {}; table ignored, defaults used"), t.problems());
        assertFalse(new SpecializationRegistry(null, List.of(t)).lookup(MLP).hit());
        assertEquals(1, table("not json").problems().size());
    }
}
