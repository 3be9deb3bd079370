package io.tttv2.integration.tokenizers.pretokenizer;

import io.tttv2.integration.tokenizers.pipeline.Piece;
import java.util.List;
import java.util.function.Consumer;

/** {@code Sequence}: each pre-tokenizer in turn, on the pieces the previous one produced. */
public record PreTokenizerSequence(List<PreTokenizer> steps) implements PreTokenizer {

    public PreTokenizerSequence {
        steps = List.copyOf(steps);
    }

    @Override
    public void split(Piece piece, Consumer<Piece> out) {
        splitFrom(0, piece, out);
    }

    private void splitFrom(int step, Piece piece, Consumer<Piece> out) {
        if (step == steps.size()) {
            out.accept(piece);
            return;
        }
        steps.get(step).split(piece, p -> {
            if (!p.text().isEmpty()) {
                splitFrom(step + 1, p, out);
            }
        });
    }
}
