package io.tttv2.integration.tokenizers.decoder;

import java.util.List;

/**
 * Rewrites a list of token strings (HF {@code Decoder::decode_chain}); the decoded text is the concatenation
 * of the final list.
 */
@FunctionalInterface
public interface Decoder {
    List<String> decodeChain(List<String> tokens);

    default String decode(List<String> tokens) {
        return String.join("", decodeChain(tokens));
    }
}
