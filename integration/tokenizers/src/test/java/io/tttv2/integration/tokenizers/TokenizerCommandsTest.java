package io.tttv2.integration.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The one-call facade behind {@code tttv2 tokenize} and {@code tttv2 detokenize}. */
class TokenizerCommandsTest {
    private static final Path BYTELEVEL = Fixtures.tokenizersDir().resolve("bytelevel-bpe/tokenizer.json");
    private static final Path SENTENCEPIECE = Fixtures.tokenizersDir().resolve("sentencepiece-bpe/tokenizer.json");

    @Test
    void tokenizePrintsIdsAndTokensAsOneLineOfJson() throws Exception {
        String json = TokenizerCommands.tokenize(BYTELEVEL, "Hello, world!\n\"quoted\"", true);
        JsonNode parsed = new ObjectMapper().readTree(json);
        Encoding expected = Tokenizer.load(BYTELEVEL).encode("Hello, world!\n\"quoted\"", true);
        assertEquals(expected.size(), parsed.get("ids").size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.ids()[i], parsed.get("ids").get(i).intValue());
            assertEquals(expected.tokens().get(i), parsed.get("tokens").get(i).asText());
        }
        assertEquals("{\"ids\":[42,576,81,14,1177,3],\"tokens\":[\"H\",\"ell\",\"o\",\",\",\"Ġworld\",\"!\"]}",
                TokenizerCommands.tokenize(BYTELEVEL, "Hello, world!", true));
    }

    @Test
    void noSpecialLeavesOutThePostProcessorsTokens() {
        assertEquals("{\"ids\":[1,664],\"tokens\":[\"<s>\",\"▁H\"]}", TokenizerCommands.tokenize(SENTENCEPIECE, "H", true));
        assertEquals("{\"ids\":[664],\"tokens\":[\"▁H\"]}", TokenizerCommands.tokenize(SENTENCEPIECE, "H", false));
    }

    @Test
    void detokenizeDecodes() {
        assertEquals("Hello, world!", TokenizerCommands.detokenize(BYTELEVEL, new int[] {42, 576, 81, 14, 1177, 3}, false));
        assertEquals("hi", TokenizerCommands.detokenize(BYTELEVEL, new int[] {1, 417, 2}, true));
    }

    @Test
    void anIdThatNamesNoTokenIsRefusedNamingIt() {
        int vocab = Tokenizer.load(BYTELEVEL).vocabSize();
        for (int id : new int[] {vocab, 99_999, -3}) {
            TokenizerException e = assertThrows(TokenizerException.class,
                    () -> TokenizerCommands.detokenize(BYTELEVEL, new int[] {42, id}, false));
            assertEquals("tokenizer.json: id " + id + " names no token (ids are 0 to " + (vocab - 1) + ")", e.getMessage());
        }
    }

    @Test
    void aMissingTokenizerIsAOneLineError() {
        Path missing = Path.of("no/such/tokenizer.json");
        TokenizerException e = assertThrows(TokenizerException.class, () -> TokenizerCommands.tokenize(missing, "x", true));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}
