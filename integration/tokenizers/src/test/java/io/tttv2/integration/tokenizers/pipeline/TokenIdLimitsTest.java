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

    @Test
    void aPostProcessorIdThatIsNoTokenIsOneLine() throws java.io.IOException {
        Path file = TokenizerFiles.write(dir, "[]", "null", "null", TokenizerFiles.bpe("ab", "", "[]", ""));
        String json = java.nio.file.Files.readString(file).replace("\"post_processor\": null",
                "\"post_processor\": {\"type\": \"BertProcessing\", \"cls\": [\"[CLS]\", 7], \"sep\": [\"b\", 1]}");
        java.nio.file.Files.writeString(file, json);
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(file));
        assertEquals(file + ": post_processor.cls[1]: is id 7, which is neither in the model's vocab nor in added_tokens",
                e.getMessage());
    }

    /** Found by fuzzing (corpus entry crash-35212bf5…): an IllegalStateException, now one line as HF refuses it. */
    @Test
    void anUnknownTokenMissingFromTheVocabularyIsOneLineWhenNeeded() {
        Path file = TokenizerFiles.write(dir, "[]", "null", "null", TokenizerFiles.bpe("ab", "", "[]", "\"unk_token\": \"<unk>\""));
        Tokenizer tokenizer = Tokenizer.load(file);
        assertEquals(2, tokenizer.encode("ab", false).ids().length);
        TokenizerException e = assertThrows(TokenizerException.class, () -> tokenizer.encode("abc", false));
        assertEquals("model.unk_token '<unk>' is not in model.vocab, and the text holds a character the vocabulary"
                + " lacks (HF refuses it too: UnkTokenOutOfVocabulary)", e.getMessage());
    }
}
