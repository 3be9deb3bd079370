package io.tttv2.integration.tokenizers.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.integration.tokenizers.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Added tokens' flags, on a model that spells everything else character by character (no pre-tokenizer), so
 * the tokens show exactly how the text was cut.
 */
class AddedTokensTest {
    @TempDir
    Path dir;
    private Tokenizer tokenizer;

    @BeforeEach
    void load() {
        String added = """
                [{"id": 100, "content": "<mask>", "lstrip": true, "rstrip": false, "single_word": false, "normalized": false, "special": true},
                 {"id": 101, "content": "[X]", "lstrip": false, "rstrip": true, "single_word": false, "normalized": false, "special": true},
                 {"id": 102, "content": "ab", "lstrip": false, "rstrip": false, "single_word": true, "normalized": false, "special": false},
                 {"id": 103, "content": "HELLO", "lstrip": false, "rstrip": false, "single_word": false, "normalized": true, "special": false},
                 {"id": 104, "content": "<mask>x", "lstrip": false, "rstrip": false, "single_word": false, "normalized": false, "special": false}]
                """;
        tokenizer = Tokenizer.load(TokenizerFiles.write(dir, added, "{\"type\": \"Lowercase\"}", "null",
                TokenizerFiles.bpe(" abcdehlosxy", "", "[]", "")));
    }

    private List<String> tokens(String text) {
        return tokenizer.encode(text, false).tokens();
    }

    @Test
    void lstripTakesTheSpacesBeforeTheToken() {
        assertEquals(List.of("x", "  <mask>", " ", "y"), tokens("x  <mask> y"));
    }

    @Test
    void rstripTakesTheSpacesAfterTheToken() {
        assertEquals(List.of("x", " ", "[X]  ", "y"), tokens("x [X]  y"));
    }

    @Test
    void singleWordTokensMatchOnlyBetweenNonWordCharacters() {
        assertEquals(List.of("ab", " ", "c", "a", "b", " ", "ab"), tokens("ab cab ab"));
    }

    @Test
    void normalizedTokensMatchTheNormalizedText() {
        assertEquals(List.of("s", "a", "y", " ", "hello"), tokens("say HeLLo"));
        assertEquals(103, tokenizer.encode("hello", false).ids()[0]);
    }

    @Test
    void theLongestTokenAtAPositionWins() {
        assertEquals(List.of("<mask>x", "y"), tokens("<mask>xy"));
    }

    @Test
    void onlySpecialTokensAreSkippedWhenDecoding() {
        int[] ids = tokenizer.encode("ab <mask>", false).ids();
        assertEquals("ab", tokenizer.decode(ids, true));
        assertEquals("ab <mask>", tokenizer.decode(ids, false), "no decoder: tokens joined by spaces");
    }
}
