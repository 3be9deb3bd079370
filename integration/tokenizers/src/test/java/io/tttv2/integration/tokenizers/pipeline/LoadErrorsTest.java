package io.tttv2.integration.tokenizers.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every load failure is one line naming the file, and for a component its JSON path and type. */
class LoadErrorsTest {
    private static final String MODEL = TokenizerFiles.bpe("ab", "", "[]", "");

    @TempDir
    Path dir;

    private String failure(Path file) {
        TokenizerException e = assertThrows(TokenizerException.class, () -> Tokenizer.load(file));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("tokenizer.json");
        assertEquals(file + ": no such file", failure(file));
    }

    @Test
    void malformedJson() throws IOException {
        Path file = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\n\"type\": ");
        assertTrue(failure(file).startsWith(file + ": malformed JSON at line 2"), failure(file));
    }

    @Test
    void unsupportedNestedNormalizer() {
        Path file = TokenizerFiles.write(dir, "[]",
                "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFC\"}, {\"type\": \"Precompiled\", \"precompiled_charsmap\": \"\"}]}",
                "null", MODEL);
        assertEquals(file + ": normalizer.normalizers[1].type: unsupported normalizer 'Precompiled' (supported: "
                + NormalizerReader.SUPPORTED + ")", failure(file));
    }

    @Test
    void unsupportedModel() {
        Path file = TokenizerFiles.write(dir, "[]", "null", "null", "{\"type\": \"Unigram\", \"vocab\": []}");
        assertEquals(file + ": model.type: unsupported model 'Unigram' (supported: BPE, WordPiece)", failure(file));
    }

    @Test
    void unsupportedPreTokenizerDecoderAndProcessorAreNamedToo() throws IOException {
        Path file = TokenizerFiles.write(dir, "[]", "null",
                "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"UnicodeScripts\"}]}", MODEL);
        assertTrue(failure(file).startsWith(file + ": pre_tokenizer.pretokenizers[0].type: unsupported pre-tokenizer 'UnicodeScripts'"));
        String json = Files.readString(file).replace("\"decoder\": null", "\"decoder\": {\"type\": \"CTC\"}")
                .replace("{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"UnicodeScripts\"}]}", "null");
        Files.writeString(file, json);
        assertTrue(failure(file).startsWith(file + ": decoder.type: unsupported decoder 'CTC'"), failure(file));
    }

    @Test
    void wrongValueTypes() {
        Path file = TokenizerFiles.write(dir, "[{\"id\": \"seven\", \"content\": \"x\"}]", "null", "null", MODEL);
        assertEquals(file + ": added_tokens[0].id: has the wrong type (expected an integer, found string \"seven\")",
                failure(file));
    }

    @Test
    void mergeOutsideTheVocabulary() {
        Path file = TokenizerFiles.write(dir, "[]", "null", "null", TokenizerFiles.bpe("ab", "", "[[\"a\",\"b\"]]", ""));
        assertEquals(file + ": model.merges[0]: merge uses 'ab', which is not in model.vocab", failure(file));
    }

    @Test
    void invalidSplitBehaviorAndRegex() {
        Path file = TokenizerFiles.write(dir, "[]", "null",
                "{\"type\": \"Split\", \"pattern\": {\"Regex\": \"(unclosed\"}, \"behavior\": \"Isolated\", \"invert\": false}", MODEL);
        assertTrue(failure(file).startsWith(file + ": pre_tokenizer.pattern.Regex: invalid regex"), failure(file));
        TokenizerFiles.write(dir, "[]", "null",
                "{\"type\": \"Split\", \"pattern\": {\"String\": \" \"}, \"behavior\": \"Sideways\", \"invert\": false}", MODEL);
        assertTrue(failure(file).startsWith(file + ": pre_tokenizer.behavior: unsupported behavior 'Sideways'"), failure(file));
    }
}
