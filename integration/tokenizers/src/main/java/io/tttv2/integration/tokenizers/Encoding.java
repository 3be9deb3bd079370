package io.tttv2.integration.tokenizers;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The result of encoding one sequence: ids and their tokens, index for index.
 *
 * @param ids    [n] token ids
 * @param tokens [n] token strings (as in the vocabulary, e.g. {@code Ġthe} or {@code ▁the}; for an added token
 *               the text it matched)
 */
public record Encoding(int[] ids, List<String> tokens) {

    public Encoding {
        Objects.requireNonNull(ids, "ids");
        tokens = List.copyOf(tokens);
        if (ids.length != tokens.size()) {
            throw new IllegalArgumentException("ids has " + ids.length + " entries, tokens " + tokens.size());
        }
    }

    public int size() {
        return ids.length;
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Encoding that && Arrays.equals(ids, that.ids) && tokens.equals(that.tokens);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(ids) + tokens;
    }
}
