package io.tttv2.api.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.tensor.DType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleConfigKnobsTest {

    private static final ModuleConfig BASE = new ModuleConfig(4, 256, 2);

    @Test
    void kvTileAndKvDtypeAreKnobsSpelledReadablyInJson() {
        ModuleConfig c = BASE.with(Map.of("kvTile", 128, "kvDtype", ModuleConfig.parse("kvDtype", "bf16")));
        assertEquals(128, c.kvTile());
        assertEquals(DType.BF16, c.kvDtype());
        assertEquals(Map.of("maxBatch", 4, "prefillChunk", 256, "matmulSplit", 2, "kvTile", 128, "kvDtype", 1,
                "fusedProjections", 0), c.knobs());
        assertEquals("BF16", c.settings().get("kvDtype"));
        assertEquals(128, c.settings().get("kvTile"));
        // the integer encoding round-trips through the spelling
        for (DType t : ModuleConfig.KV_DTYPES) {
            int code = ModuleConfig.parse("kvDtype", t.name());
            assertEquals(t.name(), ModuleConfig.spell("kvDtype", code));
            assertEquals(t, BASE.with(Map.of("kvDtype", code)).kvDtype());
        }
        assertEquals(0, ModuleConfig.parse("kvTile", 0), "0: untiled");
        assertEquals(7, ModuleConfig.parse("matmulSplit", 7L));
        ModuleConfig fused = BASE.with(Map.of("fusedProjections", ModuleConfig.parse("fusedProjections", true)));
        assertEquals(true, fused.fusedProjections());
        assertEquals(true, fused.settings().get("fusedProjections"));
        assertEquals(false, BASE.fusedProjections(), "separate by default");
    }

    @Test
    void defaultsAreAnF32CacheAndUntiledAttentionUntilTheKitSizesTheTile() {
        assertEquals(DType.F32, BASE.kvDtype());
        assertEquals(0, BASE.kvTile());
        assertEquals(256, ModuleConfig.defaultKvTile(64, 64), "64+64 F32 elements per position: 512 B, 256 in 128 KiB");
        assertEquals(128, ModuleConfig.defaultKvTile(128, 128));
        assertEquals(64, ModuleConfig.defaultKvTile(576, 512), "clamped below");
        assertEquals(4096, ModuleConfig.defaultKvTile(2, 2), "clamped above");
    }

    @Test
    void malformedValuesAreOneLineNamingTheKnobExpectedAndFound() {
        assertEquals("knob 'kvDtype' expected one of \"F32\", \"BF16\", \"F16\", found \"Q8_0\"",
                assertThrows(IllegalArgumentException.class, () -> ModuleConfig.parse("kvDtype", "Q8_0")).getMessage());
        assertEquals("knob 'kvDtype' expected one of \"F32\", \"BF16\", \"F16\", found 2",
                assertThrows(IllegalArgumentException.class, () -> ModuleConfig.parse("kvDtype", 2)).getMessage());
        assertEquals("knob 'kvTile' expected an integer >= 0 (0: untiled), found -1",
                assertThrows(IllegalArgumentException.class, () -> ModuleConfig.parse("kvTile", -1)).getMessage());
        assertEquals("knob 'kvTile' expected an integer >= 0 (0: untiled), found \"big\"",
                assertThrows(IllegalArgumentException.class, () -> ModuleConfig.parse("kvTile", "big")).getMessage());
        assertEquals("knob 'matmulSplit' expected a positive integer, found 0",
                assertThrows(IllegalArgumentException.class, () -> BASE.with(Map.of("matmulSplit", 0))).getMessage());
        assertEquals("knob 'kvDtype' expected one of [F32, BF16, F16] (0..2), found 3",
                assertThrows(IllegalArgumentException.class, () -> BASE.with(Map.of("kvDtype", 3))).getMessage());
        assertEquals("knob 'fusedProjections' expected true or false, found \"yes\"",
                assertThrows(IllegalArgumentException.class, () -> ModuleConfig.parse("fusedProjections", "yes")).getMessage());
        assertEquals("knob 'fusedProjections' expected true or false, found 1",
                assertThrows(IllegalArgumentException.class, () -> ModuleConfig.parse("fusedProjections", 1)).getMessage());
        assertEquals("knob 'tiles' expected one of prefillChunk, matmulSplit, kvTile, kvDtype, fusedProjections, found an unknown knob",
                assertThrows(IllegalArgumentException.class, () -> ModuleConfig.parse("tiles", 1)).getMessage());
    }

    @Test
    void eachKnobChangesTheFingerprint() {
        MlpSpec spec = new MlpSpec(64, 128, io.tttv2.api.ops.Activation.SILU, true, false);
        String base = ConfigFingerprint.of(ModuleKind.ATTENTION_BACKEND, "x", spec, BASE);
        assertNotEquals(base, ConfigFingerprint.of(ModuleKind.ATTENTION_BACKEND, "x", spec, BASE.withKvTile(64)));
        assertNotEquals(base, ConfigFingerprint.of(ModuleKind.ATTENTION_BACKEND, "x", spec, BASE.withKvDtype(DType.BF16)));
        assertNotEquals(base, ConfigFingerprint.of(ModuleKind.ATTENTION_BACKEND, "x", spec, BASE.withFusedProjections(true)));
        assertEquals(base, ConfigFingerprint.of(ModuleKind.ATTENTION_BACKEND, "x", spec, new ModuleConfig(4, 256, 2, 0, DType.F32, false)));
    }
}
