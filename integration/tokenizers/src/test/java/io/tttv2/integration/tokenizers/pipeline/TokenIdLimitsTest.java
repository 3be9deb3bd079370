package io.tttv2.integration.tokenizers.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by fuzzing (TokenizerFuzzTest, corpus entry huge-ids): an id sizes the id → token table, so an added token
 * or vocabulary id of two billion was an OutOfMemoryError, and a negative one an index error.
 */
class TokenIdLimitsTest {
    @TempDir
    Path dir;

    @Test
    void anAddedTokenIdOfTwoBillionIsOneLine() {
        Path file = TokenizerFiles.write(dir, "[{\"id\": 2147483647, \"content\": \"x\", \"special\": true}]", "null", "null",
                TokenizerFiles.bpe("ab", "", "[]", ""));
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(file));
        assertEquals(file + ": added_tokens[0].id: is out of range (expected a token id in [0, 16777215], found 2147483647)",
                e.getMessage());
    }

    @Test
    void aNegativeVocabularyIdIsOneLine() {
        Path file = TokenizerFiles.write(dir, "[]", "null", "null", "{\"type\": \"BPE\", \"vocab\": {\"a\": -1}, \"merges\": []}");
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(file));
        assertEquals(file + ": model.vocab.a: is out of range (expected a token id in [0, 16777215], found -1)",
                e.getMessage());
    }
}
