package io.tttv2.integration.tokenizers.pretokenizer;

import io.tttv2.integration.tokenizers.pipeline.Piece;
import java.util.function.Consumer;

/**
 * {@code Metaspace} (SentencePiece style): spaces become {@code replacement} (▁), a ▁ is prepended according
 * to {@code prepend_scheme}, and with {@code split} the text is cut before each ▁.
 */
public record Metaspace(int replacement, PrependScheme prependScheme, boolean split) implements PreTokenizer {

    /** When to prepend the replacement to a piece. */
    public enum PrependScheme {
        ALWAYS, FIRST, NEVER;

        public static PrependScheme fromJson(String name) {
            return switch (name) {
                case "always" -> ALWAYS;
                case "first" -> FIRST;
                case "never" -> NEVER;
                default -> null;
            };
        }
    }

    @Override
    public void split(Piece piece, Consumer<Piece> out) {
        String rep = Character.toString(replacement);
        String text = piece.text().replace(" ", rep);
        boolean prepend = switch (prependScheme) {
            case ALWAYS -> !text.startsWith(rep);
            case FIRST -> !text.startsWith(rep) && piece.atOriginalStart();
            case NEVER -> false;
        };
        Piece replaced = piece.withText(prepend ? rep + text : text);
        if (split) {
            SplitPattern.chars(cp -> cp == replacement).split(replaced, SplitBehavior.MERGED_WITH_NEXT, false, out);
        } else {
            out.accept(replaced);
        }
    }
}
