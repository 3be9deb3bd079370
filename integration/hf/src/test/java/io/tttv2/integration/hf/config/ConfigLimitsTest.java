package io.tttv2.integration.hf.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sizes a config claims are checked against stated maxima before anything is sized by them. */
class ConfigLimitsTest {
    private static final String BASE = """
            "model_type": "llama", "vocab_size": 256, "hidden_size": 64, "intermediate_size": 128,
            "num_hidden_layers": 2, "num_attention_heads": 4""";

    @TempDir
    Path tmp;

    private String refusal(String extraKeys) throws IOException {
        Path file = Files.writeString(tmp.resolve("config.json"), "{" + BASE + ", " + extraKeys + "}");
        return assertThrows(ConfigFormatException.class, () -> HfConfig.read(file)).getMessage();
    }

    @Test
    void aContextBeyondTheMaximumIsRefused() throws IOException {
        assertEquals(tmp.resolve("config.json") + ": key 'max_position_embeddings' expected an integer in [1, 16777216],"
                + " found 2147483647", refusal("\"max_position_embeddings\": 2147483647"));
        assertEquals(tmp.resolve("config.json") + ": key 'max_position_embeddings' expected an integer in [1, 16777216],"
                + " found 0", refusal("\"max_position_embeddings\": 0"));
    }

    @Test
    void aDimensionBeyondTheMaximumIsRefused() throws IOException {
        assertEquals(tmp.resolve("config.json") + ": key 'num_key_value_heads' expected a positive integer of at most"
                + " 16777216, found 2000000000", refusal("\"num_key_value_heads\": 2000000000"));
    }

    @Test
    void aFileLargerThanAnyConfigIsRefusedWithoutReadingItAll() throws IOException {
        Path file = tmp.resolve("config.json");
        Files.write(file, new byte[ConfigJson.MAX_FILE_BYTES + 1]);
        ConfigFormatException e = assertThrows(ConfigFormatException.class, () -> HfConfig.read(file));
        assertEquals(file + ": expected a JSON object of at most 16 MiB, found a larger file", e.getMessage());
    }

    @Test
    void anEndlessDeviceEndsQuickly() {
        Path zero = Path.of("/dev/zero");
        ConfigFormatException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(ConfigFormatException.class, () -> HfConfig.read(zero)));
        assertEquals("/dev/zero: expected a JSON object of at most 16 MiB, found a larger file", e.getMessage());
    }
}
