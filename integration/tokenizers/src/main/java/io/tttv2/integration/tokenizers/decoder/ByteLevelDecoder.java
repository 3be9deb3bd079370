package io.tttv2.integration.tokenizers.decoder;

import io.tttv2.integration.tokenizers.text.ByteLevelAlphabet;
import io.tttv2.integration.tokenizers.text.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code ByteLevel}: maps every token's characters back to bytes (a token with a character outside the
 * alphabet, such as an added token, contributes its own UTF-8 bytes) and decodes all bytes as lossy UTF-8.
 */
public record ByteLevelDecoder() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        byte[] bytes = new byte[64];
        int length = 0;
        for (String token : tokens) {
            if (length + token.length() * 4 > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + token.length() * 4));
            }
            int mark = length;
            boolean inAlphabet = true;
            for (int i = 0; i < token.length(); i++) {
                int b = ByteLevelAlphabet.byteOf(token.charAt(i));
                if (b < 0) {
                    inAlphabet = false;
                    break;
                }
                bytes[length++] = (byte) b;
            }
            if (!inAlphabet) {
                length = mark;
                for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
                    bytes[length++] = b;
                }
            }
        }
        return List.of(Utf8.decodeLossy(bytes, length));
    }
}
