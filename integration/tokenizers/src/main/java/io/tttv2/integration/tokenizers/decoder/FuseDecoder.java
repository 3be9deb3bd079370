package io.tttv2.integration.tokenizers.decoder;

import java.util.List;

/** {@code Fuse}: all tokens become one. */
public record FuseDecoder() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        return List.of(String.join("", tokens));
    }
}
