package io.tttv2.integration.tokenizers.pipeline;

import io.tttv2.integration.tokenizers.StreamingDecoder;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.util.Arrays;

/**
 * HF {@code DecodeStream}: keeps a short window of ids, decodes the window with the new id, and releases the
 * text beyond what the window's prefix decoded to — unless it ends with U+FFFD, which means a character is
 * still incomplete. Decoding with context is what turns SentencePiece's {@code ▁the} into {@code " the"} (the
 * decoder strips the space only from a sequence's first token) and keeps multi-byte characters whole.
 */
final class PrefixWindowDecoder implements StreamingDecoder {
    private final Tokenizer tokenizer;
    private final boolean skipSpecialTokens;
    /** The window: ids already released as text (the prefix) followed by ids not yet released. */
    private int[] ids = new int[8];
    private int size;
    /** What {@code ids[0, prefixIndex)} decodes to. */
    private String prefix = "";
    private int prefixIndex;

    PrefixWindowDecoder(Tokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    @Override
    public String next(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        String text = tokenizer.decode(Arrays.copyOf(ids, size), skipSpecialTokens);
        if (text.length() <= prefix.length() || text.endsWith("\uFFFD")) {
            return "";
        }
        if (!text.startsWith(prefix)) {
            throw new TokenizerException("streaming decode: the text so far '" + text
                    + "' no longer starts with the released text '" + prefix + "'");
        }
        String released = text.substring(prefix.length());
        // The ids after the old prefix become the new prefix: one token of left context for the next step.
        int newPrefixIndex = size - prefixIndex;
        ids = Arrays.copyOfRange(ids, prefixIndex, Math.max(prefixIndex + 8, size));
        size -= prefixIndex;
        prefix = tokenizer.decode(Arrays.copyOf(ids, size), skipSpecialTokens);
        prefixIndex = newPrefixIndex;
        return released;
    }

    @Override
    public String flush() {
        String text = tokenizer.decode(Arrays.copyOf(ids, size), skipSpecialTokens);
        String rest = text.startsWith(prefix) ? text.substring(prefix.length()) : "";
        size = 0;
        prefixIndex = 0;
        prefix = "";
        return rest;
    }
}
