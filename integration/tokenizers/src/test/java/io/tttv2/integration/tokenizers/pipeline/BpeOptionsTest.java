package io.tttv2.integration.tokenizers.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.integration.tokenizers.Tokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BPE's options and merge order, on tiny vocabularies whose HuggingFace result follows from its algorithm. */
class BpeOptionsTest {
    private static final String WORDS = "{\"type\": \"WhitespaceSplit\"}";

    @TempDir
    Path dir;

    private List<String> tokens(String model, String text) {
        return Tokenizer.load(TokenizerFiles.write(dir, "[]", "null", WORDS, model)).encode(text, false).tokens();
    }

    @Test
    void lowestRankMergesFirstWhereverItIs() {
        String bcFirst = TokenizerFiles.bpe("abc", "ab bc abc", "[[\"b\",\"c\"],[\"a\",\"b\"],[\"a\",\"bc\"]]", "");
        assertEquals(List.of("abc"), tokens(bcFirst, "abc"));
        String abFirstNoFinal = TokenizerFiles.bpe("abc", "ab bc", "[[\"a\",\"b\"],[\"b\",\"c\"]]", "");
        assertEquals(List.of("ab", "c"), tokens(abFirstNoFinal, "abc"));
    }

    @Test
    void equalRanksMergeLeftmostFirst() {
        String model = TokenizerFiles.bpe("a", "aa", "[[\"a\",\"a\"]]", "");
        assertEquals(List.of("aa", "a"), tokens(model, "aaa"));
        assertEquals(List.of("aa", "aa"), tokens(model, "aaaa"));
    }

    @Test
    void legacyStringMergesAreAccepted() {
        String model = TokenizerFiles.bpe("ab", "ab", "[\"a b\"]", "");
        assertEquals(List.of("ab", "a"), tokens(model, "aba"));
    }

    @Test
    void continuingSubwordPrefix() {
        String model = TokenizerFiles.bpe("a", "##b ##c ab", "[[\"a\",\"##b\"]]", "\"continuing_subword_prefix\": \"##\"");
        assertEquals(List.of("ab", "##c"), tokens(model, "abc"));
    }

    @Test
    void endOfWordSuffix() {
        String model = TokenizerFiles.bpe("ab", "b</w> ab</w>", "[[\"a\",\"b</w>\"]]", "\"end_of_word_suffix\": \"</w>\"");
        // "abb": a, b, b</w> — only the last character carries the suffix, so no merge applies
        assertEquals(List.of("ab</w>", "a", "b", "b</w>"), tokens(model, "ab abb"));
        assertEquals(List.of("ab</w>"), tokens(model, "ab"));
    }

    @Test
    void ignoreMergesTakesAWholeWordFromTheVocabulary() {
        String merges = "[[\"a\",\"b\"]]";
        assertEquals(List.of("ab", "ab"), tokens(TokenizerFiles.bpe("ab", "ab abab", merges, ""), "abab"));
        assertEquals(List.of("abab"), tokens(TokenizerFiles.bpe("ab", "ab abab", merges, "\"ignore_merges\": true"), "abab"));
    }

    @Test
    void unknownCharactersAreFusedOrNot() {
        String fused = TokenizerFiles.bpe("a", "<unk>", "[]", "\"unk_token\": \"<unk>\", \"fuse_unk\": true");
        assertEquals(List.of("<unk>", "a", "<unk>"), tokens(fused, "xyaz"));
        String separate = TokenizerFiles.bpe("a", "<unk>", "[]", "\"unk_token\": \"<unk>\", \"fuse_unk\": false");
        assertEquals(List.of("<unk>", "<unk>", "a", "<unk>"), tokens(separate, "xyaz"));
        String dropped = TokenizerFiles.bpe("a", "", "[]", "");
        assertEquals(List.of("a"), tokens(dropped, "xa"), "without unk_token an unknown character is dropped");
    }

    @Test
    void byteFallbackSpellsUnknownCharactersAsBytes() {
        String model = TokenizerFiles.bpe("a", "<unk> <0xC3> <0xA9>", "[]",
                "\"unk_token\": \"<unk>\", \"byte_fallback\": true");
        assertEquals(List.of("a", "<0xC3>", "<0xA9>"), tokens(model, "aé"));
        assertEquals(List.of("<unk>"), tokens(model, "ü"), "a byte missing from the vocabulary falls back to unk");
    }
}
