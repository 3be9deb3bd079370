package io.tttv2.integration.tokenizers;

import java.nio.file.Path;

/**
 * What the command line's {@code tokenize} and {@code detokenize} do, one call each, so that the commands
 * only parse arguments and print.
 */
public final class TokenizerCommands {

    private TokenizerCommands() {
    }

    /**
     * {@code tttv2 tokenize --tokenizer FILE [--no-special] TEXT…}: encodes {@code text} and returns
     * {@code {"ids":[…],"tokens":[…]}} on one line.
     */
    public static String tokenize(Path tokenizerJson, String text, boolean addSpecialTokens) {
        Encoding encoding = Tokenizer.load(tokenizerJson).encode(text, addSpecialTokens);
        StringBuilder json = new StringBuilder("{\"ids\":[");
        int[] ids = encoding.ids();
        for (int i = 0; i < ids.length; i++) {
            json.append(i == 0 ? "" : ",").append(ids[i]);
        }
        json.append("],\"tokens\":[");
        for (int i = 0; i < ids.length; i++) {
            json.append(i == 0 ? "" : ",");
            appendJsonString(json, encoding.tokens().get(i));
        }
        return json.append("]}").toString();
    }

    /** {@code tttv2 detokenize --tokenizer FILE [--skip-special] ID…}: decodes ids to text. */
    public static String detokenize(Path tokenizerJson, int[] ids, boolean skipSpecialTokens) {
        return Tokenizer.load(tokenizerJson).decode(ids, skipSpecialTokens);
    }

    private static void appendJsonString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
