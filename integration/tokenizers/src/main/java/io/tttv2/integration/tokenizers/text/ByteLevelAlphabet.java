package io.tttv2.integration.tokenizers.text;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's {@code bytes_to_unicode}: every byte 0–255 is shown as a printable character, so that byte-level BPE
 * can work on strings. Printable Latin-1 bytes map to themselves; the others to U+0100 upward, in byte order.
 */
public final class ByteLevelAlphabet {

    /** [256] byte → the character that stands for it. */
    private static final char[] BYTE_TO_CHAR = new char[256];
    /** [0x144] character → its byte, or -1 for characters outside the alphabet. */
    private static final int[] CHAR_TO_BYTE = new int[0x144];

    static {
        Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevelAlphabet() {
    }

    /** The UTF-8 bytes of {@code text}, each shown as its alphabet character. */
    public static String encode(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        char[] chars = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            chars[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        }
        return new String(chars);
    }

    /** The byte a character stands for, or -1 if it is not in the alphabet. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The character standing for byte {@code b} (0–255). */
    public static char charOf(int b) {
        return BYTE_TO_CHAR[b];
    }
}
