package io.tttv2.integration.tokenizers.decoder;

import java.util.ArrayList;
import java.util.List;

/** {@code BPEDecoder}: the end-of-word suffix ({@code </w>}) becomes a space, or nothing in the last token. */
public record BpeSuffixDecoder(String suffix) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
        }
        return out;
    }
}
