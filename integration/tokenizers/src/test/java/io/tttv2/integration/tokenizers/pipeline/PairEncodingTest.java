package io.tttv2.integration.tokenizers.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tttv2.integration.tokenizers.Encoding;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pairs and truncation as HF tokenizers does them: BERT's pair template {@code [CLS] $A [SEP] $B:1 [SEP]:1}
 * (token_type_ids 0 for the first text and its separators, 1 for the second and the last [SEP]), and
 * {@code longest_first} truncation (special tokens kept; the longer text shortened first; halves when both are
 * too long, the first text's rounded down).
 */
class PairEncodingTest {
    private static final String WORDPIECE = """
            {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
             "vocab": {"[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "a": 3, "b": 4, "c": 5, "d": 6, "e": 7, "f": 8, "<s>": 9, "</s>": 10}}
            """;
    private static final String BERT_TEMPLATE = """
            {"type": "TemplateProcessing",
             "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                        {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
             "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                      {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                      {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
             "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [1], "tokens": ["[CLS]"]},
                                "[SEP]": {"id": "[SEP]", "ids": [2], "tokens": ["[SEP]"]}}}
            """;

    @TempDir
    Path dir;

    private Tokenizer withProcessor(String processor) throws IOException {
        Path file = TokenizerFiles.write(dir, "[]", "null", "{\"type\": \"WhitespaceSplit\"}", WORDPIECE);
        Files.writeString(file, Files.readString(file).replace("\"post_processor\": null", "\"post_processor\": " + processor));
        return Tokenizer.load(file);
    }

    @Test
    void bertTemplatePairHasClsSepSepAndSegments() throws IOException {
        Encoding e = withProcessor(BERT_TEMPLATE).encode("a b", "c d e", true, 0);
        assertEquals(List.of("[CLS]", "a", "b", "[SEP]", "c", "d", "e", "[SEP]"), e.tokens());
        assertArrayEquals(new int[] {1, 3, 4, 2, 5, 6, 7, 2}, e.ids());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, e.typeIds());
    }

    @Test
    void bertProcessingPairMatchesTheTemplate() throws IOException {
        Tokenizer bert = withProcessor("{\"type\": \"BertProcessing\", \"sep\": [\"[SEP]\", 2], \"cls\": [\"[CLS]\", 1]}");
        assertEquals(withProcessor(BERT_TEMPLATE).encode("a b", "c d e", true, 0), bert.encode("a b", "c d e", true, 0));
        assertEquals(3, bert.addedTokens(true));
        assertEquals(2, bert.addedTokens(false));
    }

    @Test
    void robertaPairIsAllTypeZeroWithDoubleSeparator() throws IOException {
        Encoding e = withProcessor("{\"type\": \"RobertaProcessing\", \"sep\": [\"</s>\", 10], \"cls\": [\"<s>\", 9]}")
                .encode("a", "b", true, 0);
        assertEquals(List.of("<s>", "a", "</s>", "</s>", "b", "</s>"), e.tokens());
        assertArrayEquals(new int[6], e.typeIds());
    }

    @Test
    void pairWithoutSpecialTokensKeepsTheSegments() throws IOException {
        Encoding e = withProcessor(BERT_TEMPLATE).encode("a b", "c", false, 0);
        assertEquals(List.of("a", "b", "c"), e.tokens());
        assertArrayEquals(new int[] {0, 0, 1}, e.typeIds());
        Encoding plain = withProcessor("null").encode("a", "b c", true, 0);
        assertArrayEquals(new int[] {0, 1, 1}, plain.typeIds(), "no post-processor: the second text is type 1");
    }

    @Test
    void singleTextIsTruncatedAfterReservingTheSpecialTokens() throws IOException {
        Encoding e = withProcessor(BERT_TEMPLATE).encode("a b c d e f", null, true, 5);
        assertEquals(List.of("[CLS]", "a", "b", "c", "[SEP]"), e.tokens());
        assertEquals(e, withProcessor(BERT_TEMPLATE).encode("a b c", null, true, 0));
    }

    @Test
    void longestFirstShortensOnlyTheLongerTextWhenTheShorterLeavesRoom() throws IOException {
        // budget 9 - 3 special = 6: "a b" (2) keeps its 2, "c d e f a b c" (7) gets the other 4
        Encoding e = withProcessor(BERT_TEMPLATE).encode("a b", "c d e f a b c", true, 9);
        assertEquals(List.of("[CLS]", "a", "b", "[SEP]", "c", "d", "e", "f", "[SEP]"), e.tokens());
        // the same with the longer text first
        Encoding swapped = withProcessor(BERT_TEMPLATE).encode("c d e f a b c", "a b", true, 9);
        assertEquals(List.of("[CLS]", "c", "d", "e", "f", "[SEP]", "a", "b", "[SEP]"), swapped.tokens());
        assertEquals(9, e.size());
    }

    @Test
    void longestFirstGivesHalvesWhenBothAreTooLong() throws IOException {
        // budget 8 - 3 = 5: 5 / 2 = 2 for the first text, 2 + 5 % 2 = 3 for the second
        Encoding e = withProcessor(BERT_TEMPLATE).encode("a b c d e", "f e d c b", true, 8);
        assertEquals(List.of("[CLS]", "a", "b", "[SEP]", "f", "e", "d", "[SEP]"), e.tokens());
        assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, e.typeIds());
        // the shorter text is longer than half the budget but leaves less than its own length: halves as well
        Encoding f = withProcessor(BERT_TEMPLATE).encode("a b c d", "a b c d e f", true, 8);
        assertEquals(List.of("[CLS]", "a", "b", "[SEP]", "a", "b", "c", "[SEP]"), f.tokens());
    }

    @Test
    void aPairThatFitsIsNotTouched() throws IOException {
        Tokenizer t = withProcessor(BERT_TEMPLATE);
        assertEquals(t.encode("a b", "c", true, 0), t.encode("a b", "c", true, 6));
    }

    @Test
    void aMaximumBelowTheSpecialTokensIsOneLine() throws IOException {
        TokenizerException e = assertThrows(TokenizerException.class,
                () -> withProcessor(BERT_TEMPLATE).encode("a", "b", true, 2));
        assertTrue(e.getMessage().contains("cannot truncate to 2 tokens: the pair needs 3 special tokens"), e.getMessage());
    }

    @Test
    void wordPieceFixtureSingleEncodingIsUnchangedAndTypeZero() {
        Tokenizer t = Tokenizer.load(Path.of(System.getProperty("tttv2.root"),
                "testdata/fixtures/tokenizers/wordpiece/tokenizer.json"));
        Encoding single = t.encode("In the beginning", true);
        assertArrayEquals(new int[single.size()], single.typeIds());
        Encoding pair = t.encode("In the beginning", "God created", true, 0);
        int[] expectedTypes = new int[pair.size()];
        for (int i = single.size(); i < pair.size(); i++) {
            expectedTypes[i] = 1;      // the fixture's pair template is $A:0 $B:1
        }
        assertArrayEquals(expectedTypes, pair.typeIds());
    }
}
