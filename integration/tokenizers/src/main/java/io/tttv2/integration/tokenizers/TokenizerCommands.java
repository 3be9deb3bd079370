package io.tttv2.integration.tokenizers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * What the command line's {@code tokenize} and {@code detokenize} do, one call each, so that the commands
 * only parse arguments and print.
 */
public final class TokenizerCommands {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TokenizerCommands() {
    }

    /**
     * {@code tttv2 tokenize --tokenizer FILE [--no-special] TEXT…}: encodes {@code text} and returns
     * {@code {"ids":[…],"tokens":[…]}} on one line.
     */
    public static String tokenize(Path tokenizerJson, String text, boolean addSpecialTokens) {
        Encoding encoding = Tokenizer.load(tokenizerJson).encode(text, addSpecialTokens);
        ObjectNode json = JSON.createObjectNode();
        ArrayNode ids = json.putArray("ids");
        for (int id : encoding.ids()) {
            ids.add(id);
        }
        ArrayNode tokens = json.putArray("tokens");
        encoding.tokens().forEach(tokens::add);
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the encoding as JSON", e);
        }
    }

    /**
     * {@code tttv2 detokenize --tokenizer FILE [--skip-special] ID…}: decodes ids to text. An id that names no token
     * is refused, naming it (HF's decode would leave it out silently: a typo would pass unnoticed).
     */
    public static String detokenize(Path tokenizerJson, int[] ids, boolean skipSpecialTokens) {
        Tokenizer tokenizer = Tokenizer.load(tokenizerJson);
        for (int id : ids) {
            if (tokenizer.idToToken(id) == null) {
                throw new TokenizerException(tokenizerJson.getFileName() + ": id " + id + " names no token (ids are 0 to "
                        + (tokenizer.vocabSize() - 1) + ")");
            }
        }
        return tokenizer.decode(ids, skipSpecialTokens);
    }
}
