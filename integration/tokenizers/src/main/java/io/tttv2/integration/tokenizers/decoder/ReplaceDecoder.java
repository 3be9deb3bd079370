package io.tttv2.integration.tokenizers.decoder;

import io.tttv2.integration.tokenizers.normalizer.Replace;
import io.tttv2.integration.tokenizers.pretokenizer.SplitPattern;
import java.util.ArrayList;
import java.util.List;

/** {@code Replace}: in every token, each match of the pattern becomes {@code content}. */
public record ReplaceDecoder(SplitPattern pattern, String content) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            out.add(Replace.replaceAll(pattern, content, token));
        }
        return out;
    }
}
