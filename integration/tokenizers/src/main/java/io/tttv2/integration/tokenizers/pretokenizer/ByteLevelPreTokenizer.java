package io.tttv2.integration.tokenizers.pretokenizer;

import io.tttv2.integration.tokenizers.pipeline.Piece;
import io.tttv2.integration.tokenizers.text.ByteLevelAlphabet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@code ByteLevel}: optionally prefixes a space, optionally splits with GPT-2's regex, then rewrites each
 * piece as its UTF-8 bytes in the {@link ByteLevelAlphabet}.
 */
public record ByteLevelPreTokenizer(boolean addPrefixSpace, boolean useRegex) implements PreTokenizer {

    /** GPT-2's split regex. {@code \s} must mean Unicode White_Space as in Oniguruma, hence the flag. */
    public static final Pattern GPT2_PATTERN = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private static final SplitPattern GPT2_SPLIT = SplitPattern.regex(GPT2_PATTERN);

    @Override
    public void split(Piece piece, Consumer<Piece> out) {
        Piece prefixed = addPrefixSpace && !piece.text().startsWith(" ") ? piece.withText(" " + piece.text()) : piece;
        Consumer<Piece> toBytes = p -> out.accept(p.withText(ByteLevelAlphabet.encode(p.text())));
        if (useRegex) {
            GPT2_SPLIT.split(prefixed, SplitBehavior.ISOLATED, false, toBytes);
        } else {
            toBytes.accept(prefixed);
        }
    }
}
