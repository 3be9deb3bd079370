package io.tttv2.integration.tokenizers.decoder;

import io.tttv2.integration.tokenizers.text.Utf8;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ByteFallback}: runs of {@code <0xNN>} tokens become the text their bytes spell; a run that is not
 * valid UTF-8 becomes one U+FFFD per byte, as HF does.
 */
public record ByteFallbackDecoder() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        byte[] pending = new byte[16];
        int count = 0;
        for (String token : tokens) {
            int b = byteOf(token);
            if (b >= 0) {
                if (count == pending.length) {
                    pending = java.util.Arrays.copyOf(pending, count * 2);
                }
                pending[count++] = (byte) b;
                continue;
            }
            flush(pending, count, out);
            count = 0;
            out.add(token);
        }
        flush(pending, count, out);
        return out;
    }

    private static void flush(byte[] bytes, int count, List<String> out) {
        if (count == 0) {
            return;
        }
        if (Utf8.isValid(bytes, count)) {
            out.add(Utf8.decodeLossy(bytes, count));
        } else {
            for (int i = 0; i < count; i++) {
                out.add(String.valueOf(Utf8.REPLACEMENT));
            }
        }
    }

    /** The byte of a {@code <0xNN>} token, or -1. */
    static int byteOf(String token) {
        if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') {
            return -1;
        }
        int hi = Character.digit(token.charAt(3), 16);
        int lo = Character.digit(token.charAt(4), 16);
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }
}
