package io.tttv2.integration.tokenizers.pretokenizer;

import io.tttv2.integration.tokenizers.pipeline.Piece;
import java.util.function.Consumer;

/** {@code Split}: a regex or literal pattern with a {@link SplitBehavior}, optionally inverted. */
public record Split(SplitPattern pattern, SplitBehavior behavior, boolean invert) implements PreTokenizer {
    @Override
    public void split(Piece piece, Consumer<Piece> out) {
        pattern.split(piece, behavior, invert, out);
    }
}
