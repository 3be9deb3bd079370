package io.tttv2.integration.tokenizers.decoder;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code Metaspace}: the replacement character (▁) becomes a space, except in the first token when a prefix
 * was prepended ({@code prepend_scheme} other than {@code never}), where it is dropped.
 */
public record MetaspaceDecoder(int replacement, boolean dropInFirstToken) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            boolean first = i == 0;
            StringBuilder s = new StringBuilder();
            tokens.get(i).codePoints().forEach(cp -> {
                if (cp != replacement) {
                    s.appendCodePoint(cp);
                } else if (!(first && dropInFirstToken)) {
                    s.append(' ');
                }
            });
            out.add(s.toString());
        }
        return out;
    }
}
