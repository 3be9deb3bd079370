package io.tttv2.integration.tokenizers.pretokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tttv2.integration.tokenizers.pipeline.Piece;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Pre-tokenizers against the examples of HuggingFace's documentation and unit tests. */
class PreTokenizersTest {

    private static List<String> split(PreTokenizer preTokenizer, String text) {
        return preTokenizer.apply(List.of(Piece.of(text, true))).stream().map(Piece::text).toList();
    }

    @Test
    void splitBehaviorsOnTheDocumentationExample() {
        SplitPattern dash = SplitPattern.literal("-");
        String text = "the-final--countdown";
        assertEquals(List.of("the", "final", "countdown"), split(new Split(dash, SplitBehavior.REMOVED, false), text));
        assertEquals(List.of("the", "-", "final", "-", "-", "countdown"),
                split(new Split(dash, SplitBehavior.ISOLATED, false), text));
        assertEquals(List.of("the-", "final-", "-", "countdown"),
                split(new Split(dash, SplitBehavior.MERGED_WITH_PREVIOUS, false), text));
        assertEquals(List.of("the", "-final", "-", "-countdown"),
                split(new Split(dash, SplitBehavior.MERGED_WITH_NEXT, false), text));
        assertEquals(List.of("the", "-", "final", "--", "countdown"),
                split(new Split(dash, SplitBehavior.CONTIGUOUS, false), text));
    }

    @Test
    void invertedSplitKeepsTheMatches() {
        Split words = new Split(SplitPattern.regex(Pattern.compile("\\w+")), SplitBehavior.REMOVED, true);
        assertEquals(List.of("Hey", "friend"), split(words, "Hey, friend!"));
    }

    @Test
    void whitespaceFamily() {
        String text = "Hey friend!     How are you?!?";
        assertEquals(List.of("Hey", "friend", "!", "How", "are", "you", "?!?"), split(CharClassSplit.whitespace(), text));
        assertEquals(List.of("Hey", "friend!", "How", "are", "you?!?"), split(CharClassSplit.whitespaceSplit(), text));
        assertEquals(List.of("Hey", "friend", "!", "How", "are", "you", "?", "!", "?"), split(CharClassSplit.bert(), text));
        assertEquals(List.of("Hey friend", "!", "     How are you", "?", "!", "?"),
                split(CharClassSplit.punctuation(SplitBehavior.ISOLATED), text));
    }

    @Test
    void digits() {
        assertEquals(List.of("Hey ", "1", "2", "3", " friend!"), split(CharClassSplit.digits(true), "Hey 123 friend!"));
        assertEquals(List.of("Hey ", "123", " friend!"), split(CharClassSplit.digits(false), "Hey 123 friend!"));
    }

    @Test
    void metaspace() {
        Metaspace always = new Metaspace('▁', Metaspace.PrependScheme.ALWAYS, true);
        assertEquals(List.of("▁Hey", "▁friend!"), split(always, "Hey friend!"));
        assertEquals(List.of("▁Hey"), split(always, " Hey"));
        assertEquals(List.of("▁", "▁Hey"), split(always, "  Hey"));
        Metaspace noSplit = new Metaspace('▁', Metaspace.PrependScheme.NEVER, false);
        assertEquals(List.of("Hey▁friend!"), split(noSplit, "Hey friend!"));
        Metaspace first = new Metaspace('▁', Metaspace.PrependScheme.FIRST, false);
        assertEquals(List.of("▁a", "b"), first.apply(List.of(Piece.of("a", true), Piece.of("b", false)))
                .stream().map(Piece::text).toList());
    }

    @Test
    void byteLevelMapsBytesAndSplitsWithTheGpt2Regex() {
        assertEquals(List.of("ĠHello", "Ġthere", "!", "Ċ"),
                split(new ByteLevelPreTokenizer(true, true), "Hello there!\n"));
        assertEquals(List.of("Hello", "Ġthere"), split(new ByteLevelPreTokenizer(false, true), "Hello there"));
        assertEquals(List.of("HelloĠthere"), split(new ByteLevelPreTokenizer(false, false), "Hello there"));
        assertEquals(List.of("ĠÃ©"), split(new ByteLevelPreTokenizer(true, true), "é"));
    }

    @Test
    void sequenceAppliesEachStepToEachPiece() {
        PreTokenizer sequence = new PreTokenizerSequence(List.of(CharClassSplit.whitespaceSplit(), CharClassSplit.digits(true)));
        assertEquals(List.of("a", "1", "2", "b"), split(sequence, "a12 b"));
    }
}
