package io.tttv2.integration.tokenizers.pretokenizer;

import io.tttv2.integration.tokenizers.pipeline.Piece;
import io.tttv2.integration.tokenizers.text.UnicodeChars;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The pre-tokenizers that split on a class of characters: {@code Whitespace}, {@code WhitespaceSplit},
 * {@code BertPreTokenizer}, {@code Punctuation} and {@code Digits}, each as HuggingFace defines it.
 */
public final class CharClassSplit {

    /** Whitespace keeps the matches of {@code \w+|[^\w\s]+} (Unicode classes, as in Oniguruma). */
    private static final SplitPattern WORDS_OR_SYMBOLS =
            SplitPattern.regex(Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS));
    private static final SplitPattern WHITESPACE = SplitPattern.chars(UnicodeChars::isWhitespace);
    private static final SplitPattern PUNCTUATION = SplitPattern.chars(UnicodeChars::isPunctuation);
    private static final SplitPattern NUMERIC = SplitPattern.chars(UnicodeChars::isNumeric);

    private CharClassSplit() {
    }

    /** {@code Whitespace}: words and runs of symbols, whitespace dropped. */
    public static PreTokenizer whitespace() {
        return (piece, out) -> WORDS_OR_SYMBOLS.split(piece, SplitBehavior.REMOVED, true, out);
    }

    /** {@code WhitespaceSplit}: split on whitespace, dropping it. */
    public static PreTokenizer whitespaceSplit() {
        return (piece, out) -> WHITESPACE.split(piece, SplitBehavior.REMOVED, false, out);
    }

    /** {@code BertPreTokenizer}: split on whitespace (dropped), then isolate each punctuation character. */
    public static PreTokenizer bert() {
        return (Piece piece, Consumer<Piece> out) -> WHITESPACE.split(piece, SplitBehavior.REMOVED, false,
                word -> PUNCTUATION.split(word, SplitBehavior.ISOLATED, false, out));
    }

    /** {@code Punctuation}: each punctuation character with {@code behavior}. */
    public static PreTokenizer punctuation(SplitBehavior behavior) {
        return (piece, out) -> PUNCTUATION.split(piece, behavior, false, out);
    }

    /** {@code Digits}: digits isolated one by one, or runs of digits kept together. */
    public static PreTokenizer digits(boolean individualDigits) {
        SplitBehavior behavior = individualDigits ? SplitBehavior.ISOLATED : SplitBehavior.CONTIGUOUS;
        return (piece, out) -> NUMERIC.split(piece, behavior, false, out);
    }
}
