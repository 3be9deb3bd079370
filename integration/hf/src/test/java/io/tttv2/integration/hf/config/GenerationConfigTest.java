package io.tttv2.integration.hf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.integration.hf.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerationConfigTest {
    @TempDir
    Path tmp;

    @Test
    void fixtureHasTokenIdsAndNoSamplingSettings() {
        GenerationConfig g = GenerationConfig.read(Fixtures.model("llama").resolve("generation_config.json"));
        assertEquals(Optional.of(1), g.bosTokenId());
        assertEquals(List.of(2), g.eosTokenIds());
        assertEquals(Optional.of(0), g.padTokenId());
        assertEquals(Optional.empty(), g.doSample());
        assertEquals(Optional.empty(), g.maxNewTokens());
        assertEquals(true, g.raw().get("_from_model_config").booleanValue());
    }

    @Test
    void everySamplingSetting() throws IOException {
        Path file = tmp.resolve("generation_config.json");
        Files.writeString(file, """
                {"do_sample": true, "temperature": 0.6, "top_k": 50, "top_p": 0.9, "min_p": 0.05,
                 "repetition_penalty": 1.1, "max_new_tokens": 256, "max_length": 4096,
                 "bos_token_id": 128000, "eos_token_id": [128001, 128009], "pad_token_id": null}""");
        GenerationConfig g = GenerationConfig.read(file);
        assertEquals(Optional.of(true), g.doSample());
        assertEquals(Optional.of(0.6), g.temperature());
        assertEquals(Optional.of(50), g.topK());
        assertEquals(Optional.of(0.9), g.topP());
        assertEquals(Optional.of(0.05), g.minP());
        assertEquals(Optional.of(1.1), g.repetitionPenalty());
        assertEquals(Optional.of(256), g.maxNewTokens());
        assertEquals(Optional.of(4096), g.maxLength());
        assertEquals(Optional.of(128000), g.bosTokenId());
        assertEquals(List.of(128001, 128009), g.eosTokenIds());
        assertEquals(Optional.empty(), g.padTokenId());
    }

    @Test
    void wrongTypeIsNamed() throws IOException {
        Path file = tmp.resolve("generation_config.json");
        Files.writeString(file, "{\"top_k\": 0.5}");
        assertEquals(file + ": key 'top_k' expected an integer, found 0.5",
                assertThrows(ConfigFormatException.class, () -> GenerationConfig.read(file)).getMessage());
        Files.writeString(file, "{\"do_sample\": \"yes\"}");
        assertEquals(file + ": key 'do_sample' expected true or false, found \"yes\"",
                assertThrows(ConfigFormatException.class, () -> GenerationConfig.read(file)).getMessage());
    }

    @Test
    void noneHasEveryValueAbsent() {
        GenerationConfig g = GenerationConfig.none(tmp.resolve("generation_config.json"));
        assertEquals(Optional.empty(), g.temperature());
        assertEquals(List.of(), g.eosTokenIds());
    }
}
