package io.tttv2.integration.tokenizers.pipeline;

/**
 * A segment of the input as it flows through the pipeline: its current (normalized, pre-tokenized) text, and,
 * once an added token has claimed it, that token's id. {@code atOriginalStart} records whether the segment
 * begins at offset 0 of the original input (Metaspace's {@code prepend_scheme: first} needs it).
 *
 * @param addedTokenId the added token's id, or -1 while the segment still goes to the model
 */
public record Piece(String text, boolean atOriginalStart, int addedTokenId) {

    public static Piece of(String text, boolean atOriginalStart) {
        return new Piece(text, atOriginalStart, -1);
    }

    public boolean isAddedToken() {
        return addedTokenId >= 0;
    }

    /** The sub-segment {@code [start, end)} (char indices); only a slice from 0 keeps the original start. */
    public Piece slice(int start, int end) {
        return new Piece(text.substring(start, end), atOriginalStart && start == 0, -1);
    }

    public Piece withText(String newText) {
        return new Piece(newText, atOriginalStart, addedTokenId);
    }
}
