package io.tttv2.integration.tokenizers.text;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 decoding with Rust's {@code String::from_utf8_lossy} semantics: each maximal ill-formed subpart becomes
 * one U+FFFD (the Unicode "best practice"), so byte-level decoding matches HuggingFace character for character.
 */
public final class Utf8 {

    public static final char REPLACEMENT = '\uFFFD';

    private Utf8() {
    }

    /** Decodes {@code bytes[0, length)}, replacing ill-formed subparts. */
    public static String decodeLossy(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder(length);
        int i = 0;
        while (i < length) {
            int b0 = bytes[i] & 0xFF;
            if (b0 < 0x80) {
                out.append((char) b0);
                i++;
                continue;
            }
            int needed;
            int lower = 0x80;
            int upper = 0xBF;
            int cp;
            if (b0 >= 0xC2 && b0 <= 0xDF) {
                needed = 1;
                cp = b0 & 0x1F;
            } else if (b0 >= 0xE0 && b0 <= 0xEF) {
                needed = 2;
                cp = b0 & 0x0F;
                if (b0 == 0xE0) {
                    lower = 0xA0;
                } else if (b0 == 0xED) {
                    upper = 0x9F;
                }
            } else if (b0 >= 0xF0 && b0 <= 0xF4) {
                needed = 3;
                cp = b0 & 0x07;
                if (b0 == 0xF0) {
                    lower = 0x90;
                } else if (b0 == 0xF4) {
                    upper = 0x8F;
                }
            } else {
                out.append(REPLACEMENT);
                i++;
                continue;
            }
            int j = i + 1;
            boolean complete = true;
            for (int k = 0; k < needed; k++, j++) {
                if (j >= length) {
                    complete = false;
                    break;
                }
                int b = bytes[j] & 0xFF;
                int lo = k == 0 ? lower : 0x80;
                int hi = k == 0 ? upper : 0xBF;
                if (b < lo || b > hi) {
                    complete = false;
                    break;
                }
                cp = (cp << 6) | (b & 0x3F);
            }
            if (complete) {
                out.appendCodePoint(cp);
            } else {
                out.append(REPLACEMENT);
            }
            i = j;
        }
        return out.toString();
    }

    /** Whether {@code bytes[0, length)} is well-formed UTF-8. */
    public static boolean isValid(byte[] bytes, int length) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
