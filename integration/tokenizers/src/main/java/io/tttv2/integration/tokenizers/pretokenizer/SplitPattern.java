package io.tttv2.integration.tokenizers.pretokenizer;

import io.tttv2.integration.tokenizers.pipeline.Piece;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a split looks for (HF {@code Pattern}): a regex, a literal string, or a character class, each with
 * HuggingFace's rules for how matches and the text between them become {@link Matches}.
 */
@FunctionalInterface
public interface SplitPattern {

    Matches find(String text);

    /** A regex: every match, with the gaps between them (an empty text is one non-match). */
    static SplitPattern regex(Pattern pattern) {
        return text -> {
            Matches out = new Matches();
            if (text.isEmpty()) {
                out.add(0, 0, false);
                return out;
            }
            Matcher m = pattern.matcher(new MatchBudget(text, pattern.pattern()));
            int previous = 0;
            while (m.find()) {
                if (previous != m.start()) {
                    out.add(previous, m.start(), false);
                }
                out.add(m.start(), m.end(), true);
                previous = m.end();
            }
            if (previous != text.length()) {
                out.add(previous, text.length(), false);
            }
            return out;
        };
    }

    /** A literal string; an empty literal matches nothing. */
    static SplitPattern literal(String literal) {
        if (literal.isEmpty()) {
            return text -> {
                Matches out = new Matches();
                out.add(0, text.length(), false);
                return out;
            };
        }
        return regex(Pattern.compile(Pattern.quote(literal)));
    }

    /** Every character (code point) that satisfies {@code predicate} is a match of its own. */
    static SplitPattern chars(IntPredicate predicate) {
        return text -> {
            Matches out = new Matches();
            if (text.isEmpty()) {
                out.add(0, 0, false);
                return out;
            }
            int lastOffset = 0;
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int next = i + Character.charCount(cp);
                if (predicate.test(cp)) {
                    if (lastOffset < i) {
                        out.add(lastOffset, i, false);
                    }
                    out.add(i, next, true);
                    lastOffset = next;
                }
                i = next;
            }
            if (text.length() > lastOffset) {
                out.add(lastOffset, text.length(), false);
            }
            return out;
        };
    }

    /** Splits {@code piece} on this pattern with {@code behavior} (HF {@code NormalizedString::split}). */
    default void split(Piece piece, SplitBehavior behavior, boolean invert, java.util.function.Consumer<Piece> out) {
        Matches matches = find(piece.text());
        behavior.apply(invert ? matches.inverted() : matches, (start, end) -> {
            if (end > start) {
                out.accept(piece.slice(start, end));
            }
        });
    }
}
