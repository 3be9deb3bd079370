package io.tttv2.integration.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.hf.config.ConfigFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplingDefaultsTest {

    @TempDir
    Path model;

    private Path write(String json) throws IOException {
        Files.writeString(model.resolve("generation_config.json"), json);
        return model;
    }

    @Test
    void aGenerationConfigSetsTheDefaults() throws IOException {
        SamplingParams p = SamplingDefaults.of(write("""
                {"do_sample": true, "temperature": 0.6, "top_k": 20, "top_p": 0.95, "min_p": 0.05,
                 "repetition_penalty": 1.05, "max_new_tokens": 100, "eos_token_id": [1, 2], "bos_token_id": 1}
                """)).build();
        assertTrue(p.doSample());
        assertEquals(0.6, p.temperature());
        assertEquals(20, p.topK());
        assertEquals(0.95, p.topP());
        assertEquals(0.05, p.minP());
        assertEquals(1.05, p.repetitionPenalty());
        assertEquals(100, p.maxNewTokens());
        assertEquals(Set.of(1, 2), p.stopTokenIds());
    }

    @Test
    void withoutDoSampleTheCheckpointDecodesGreedily() throws IOException {
        SamplingParams p = SamplingDefaults.of(write("{\"temperature\": 0.6, \"eos_token_id\": 0}")).build();
        assertTrue(p.greedy());
        assertEquals(Set.of(0), p.stopTokenIds());
    }

    @Test
    void withoutAGenerationConfigTheDefaultsAreHuggingFaces() {
        assertEquals(SamplingParams.builder().build(), SamplingDefaults.of(model).build());
    }

    @Test
    void theEmbeddedModelDecodesGreedilyAndStopsAtEndOfText() {
        Path kjv = Path.of(System.getProperty("tttv2.root"), "launcher/distribution/src/main/dist/models/kjv-tiny");
        SamplingParams p = SamplingDefaults.of(kjv).build();
        assertFalse(p.doSample());
        assertEquals(Set.of(0), p.stopTokenIds());
    }

    @Test
    void aValueOutOfRangeNamesTheFileAndKey() throws IOException {
        Path dir = write("{\"top_p\": 1.5}");
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> SamplingDefaults.of(dir));
        assertEquals(dir.resolve("generation_config.json") + ": key 'top_p' expected a number in (0, 1], found 1.5",
                e.getMessage());
    }

    @Test
    void aValueOfTheWrongTypeNamesTheFileAndKey() throws IOException {
        Path dir = write("{\"top_k\": \"many\"}");
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> SamplingDefaults.of(dir));
        assertTrue(e.getMessage().contains("generation_config.json: key 'top_k' expected"), e.getMessage());
    }
}
