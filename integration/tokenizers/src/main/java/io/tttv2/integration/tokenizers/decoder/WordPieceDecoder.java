package io.tttv2.integration.tokenizers.decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code WordPiece}: a token after the first loses its continuing prefix ({@code ##}) or gains a leading space;
 * with {@code cleanup}, BERT's detokenization rules fix spaces before punctuation and contractions.
 */
public record WordPieceDecoder(String prefix, boolean cleanup) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (i != 0) {
                token = token.startsWith(prefix) ? token.substring(prefix.length()) : " " + token;
            }
            out.add(cleanup ? cleanup(token) : token);
        }
        return out;
    }

    /** HF {@code decoders::wordpiece::cleanup}, the same replacements in the same order. */
    static String cleanup(String dirty) {
        return dirty.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",")
                .replace(" ' ", "'").replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't")
                .replace(" 's", "'s").replace(" 've", "'ve").replace(" 're", "'re");
    }
}
