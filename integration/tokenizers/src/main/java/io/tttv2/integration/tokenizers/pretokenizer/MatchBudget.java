package io.tttv2.integration.tokenizers.pretokenizer;

import io.tttv2.integration.tokenizers.TokenizerException;

/**
 * The text a split regex runs over, counting the characters the regex engine reads. The regex comes from
 * tokenizer.json and the text from the user; Java's engine backtracks, so a pattern such as {@code (a+)+$} on a
 * long run of {@code a} would take longer than the universe. Real pre-tokenizer patterns read each character a
 * few times; past {@link #READS_PER_CHAR} reads per character the split is refused in one line.
 */
final class MatchBudget implements CharSequence {
    /** Generous: GPT-2's and Llama 3's patterns stay far below it (README, "Limits"). */
    static final long READS_PER_CHAR = 10_000;

    private final String text;
    private final String pattern;
    private long remaining;

    MatchBudget(String text, String pattern) {
        this.text = text;
        this.pattern = pattern;
        this.remaining = READS_PER_CHAR * (text.length() + 100L);
    }

    @Override
    public char charAt(int index) {
        if (--remaining < 0) {
            throw new TokenizerException("the pre-tokenizer regex /" + pattern + "/ backtracks without end on this text"
                    + " (more than " + READS_PER_CHAR + " reads per character): the tokenizer.json pattern is unsafe");
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
