package io.tttv2.cli.embed;

import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.cli.UserError;
import io.tttv2.integration.tokenizers.Encoding;
import io.tttv2.integration.tokenizers.Tokenizer;
import io.tttv2.integration.tokenizers.TokenizerException;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts (or pairs of texts) tokenised as HF's tokenizer does for a model — special tokens, token type ids,
 * truncation to the model's maximum length — and padded on the right into one {@link EncoderBatch}.
 */
public final class TextBatch {

    private TextBatch() {
    }

    /**
     * @param texts     the texts; with {@code pairs}, first and second text alternating
     * @param maxLength the model's longest sequence
     * @param truncate  false to refuse, in one line, a text longer than {@code maxLength} instead of truncating it
     * @param padId     the id written at padded positions (masked out, so never seen)
     */
    public static EncoderBatch of(Tokenizer tokenizer, List<String> texts, boolean pairs, int maxLength, boolean truncate,
                           int padId) {
        if (pairs && texts.size() % 2 != 0) {
            throw new UserError("--pairs expects an even number of texts (first, second, first, second, …), found "
                    + texts.size(), 2, null);
        }
        List<Encoding> encodings = new ArrayList<>();
        int step = pairs ? 2 : 1;
        for (int i = 0; i < texts.size(); i += step) {
            String first = texts.get(i);
            String second = pairs ? texts.get(i + 1) : null;
            Encoding e;
            try {
                e = tokenizer.encode(first, second, true, truncate ? maxLength : 0);
            } catch (TokenizerException ex) {
                throw new UserError(ex.getMessage(), 1, ex);
            }
            if (e.size() > maxLength) {
                throw new UserError("text " + (i / step + 1) + " is " + e.size() + " tokens, longer than the model's maximum of "
                        + maxLength + " (leave out --no-truncation to truncate it as HF's tokenizer does)", 1, null);
            }
            if (e.size() == 0) {
                throw new UserError("text " + (i / step + 1) + " encodes to no tokens; give some text", 2, null);
            }
            encodings.add(e);
        }
        int length = encodings.stream().mapToInt(Encoding::size).max().orElse(0);
        int[][] ids = new int[encodings.size()][length];
        int[][] types = new int[encodings.size()][length];
        int[][] mask = new int[encodings.size()][length];
        for (int b = 0; b < encodings.size(); b++) {
            int[] e = encodings.get(b).ids();
            int[] t = encodings.get(b).typeIds();
            for (int i = 0; i < length; i++) {
                ids[b][i] = i < e.length ? e[i] : padId;
                types[b][i] = i < e.length ? t[i] : 0;
                mask[b][i] = i < e.length ? 1 : 0;
            }
        }
        return new EncoderBatch(ids, types, mask);
    }
}
