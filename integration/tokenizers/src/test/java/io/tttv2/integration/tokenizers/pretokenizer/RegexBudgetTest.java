package io.tttv2.integration.tokenizers.pretokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tttv2.integration.tokenizers.TokenizerException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A tokenizer.json regex that backtracks without end is refused in one line, not run for ever. */
class RegexBudgetTest {

    @Test
    void catastrophicBacktrackingIsRefusedQuickly() {
        SplitPattern split = SplitPattern.regex(Pattern.compile("(.*a){12}$"));
        String text = "a".repeat(200) + "!";    // a polynomial of degree 12: some 200^12 steps
        TokenizerException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(TokenizerException.class, () -> split.find(text)));
        assertEquals("the pre-tokenizer regex /(.*a){12}$/ backtracks without end on this text (more than 10000 reads"
                + " per character): the tokenizer.json pattern is unsafe", e.getMessage());
    }

    @Test
    void gpt2sPatternStaysFarWithinTheBudget() {
        SplitPattern split = SplitPattern.regex(Pattern.compile(
                "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
                Pattern.UNICODE_CHARACTER_CLASS));
        String text = "In the beginning God created the heaven and the earth.   ".repeat(2000) + " ".repeat(5000);
        split.find(text);
    }
}
