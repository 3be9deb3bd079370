package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The embedded default model (kjv-tiny) ships the bytelevel-bpe fixture's tokenizer, so everything the fixture
 * cases prove holds for it.
 */
class EmbeddedModelTokenizerTest {

    @Test
    void kjvTinyTokenizerIsTheByteLevelFixture() throws Exception {
        Path shipped = Fixtures.root().resolve("launcher/distribution/src/main/dist/models/kjv-tiny/tokenizer.json");
        Path fixture = Fixtures.tokenizersDir().resolve("bytelevel-bpe/tokenizer.json");
        assertArrayEquals(Files.readAllBytes(fixture), Files.readAllBytes(shipped));
    }
}
