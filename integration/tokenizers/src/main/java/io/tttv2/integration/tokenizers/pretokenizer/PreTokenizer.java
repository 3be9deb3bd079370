package io.tttv2.integration.tokenizers.pretokenizer;

import io.tttv2.integration.tokenizers.pipeline.Piece;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits each piece that no added token claimed into smaller pieces (HF {@code PreTokenizer}). Pieces that are
 * added tokens pass through untouched.
 */
public interface PreTokenizer {

    /** Splits (and possibly rewrites) one piece, handing each non-empty result to {@code out}. */
    void split(Piece piece, Consumer<Piece> out);

    default List<Piece> apply(List<Piece> pieces) {
        int chars = 0;
        for (Piece piece : pieces) {
            chars += piece.text().length();
        }
        // about one piece per word: sized up front so that a long text does not regrow the list
        List<Piece> out = new ArrayList<>(Math.max(16, chars / 4));
        for (Piece piece : pieces) {
            if (piece.isAddedToken()) {
                out.add(piece);
            } else {
                split(piece, p -> {
                    if (!p.text().isEmpty()) {
                        out.add(p);
                    }
                });
            }
        }
        return out;
    }
}
