package io.tttv2.integration.tokenizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The result of encoding one sequence or a pair: ids, their segments and their tokens, index for index.
 *
 * @param ids     [n] token ids
 * @param typeIds [n] the segment of each token (HF's {@code token_type_ids}: 0 for the first text of a pair and
 *                the special tokens the template gives 0, 1 for the second)
 * @param tokens  [n] token strings (as in the vocabulary, e.g. {@code Ġthe} or {@code ▁the}; for an added token
 *                the text it matched)
 */
public record Encoding(int[] ids, int[] typeIds, List<String> tokens) {

    public Encoding {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(typeIds, "typeIds");
        tokens = List.copyOf(tokens);
        if (ids.length != tokens.size() || ids.length != typeIds.length) {
            throw new IllegalArgumentException("ids has " + ids.length + " entries, typeIds " + typeIds.length
                    + ", tokens " + tokens.size());
        }
        typeIds = typeIds.clone();
    }

    /** One segment: every token of type 0. */
    public Encoding(int[] ids, List<String> tokens) {
        this(ids, new int[ids.length], tokens);
    }

    public int size() {
        return ids.length;
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    @Override
    public int[] typeIds() {
        return typeIds.clone();
    }

    /** The first {@code length} tokens (HF truncates on the right by default). */
    public Encoding truncated(int length) {
        if (length >= ids.length) {
            return this;
        }
        return new Encoding(Arrays.copyOf(ids, length), Arrays.copyOf(typeIds, length), tokens.subList(0, length));
    }

    /** These tokens, every one of segment {@code typeId}. */
    public Encoding withTypeId(int typeId) {
        int[] types = new int[ids.length];
        Arrays.fill(types, typeId);
        return new Encoding(ids, types, tokens);
    }

    /** The parts one after the other. */
    public static Encoding concat(List<Encoding> parts) {
        int n = parts.stream().mapToInt(Encoding::size).sum();
        int[] ids = new int[n];
        int[] types = new int[n];
        List<String> tokens = new ArrayList<>(n);
        int at = 0;
        for (Encoding part : parts) {
            System.arraycopy(part.ids, 0, ids, at, part.size());
            System.arraycopy(part.typeIds, 0, types, at, part.size());
            tokens.addAll(part.tokens);
            at += part.size();
        }
        return new Encoding(ids, types, tokens);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Encoding that && Arrays.equals(ids, that.ids) && Arrays.equals(typeIds, that.typeIds)
                && tokens.equals(that.tokens);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(typeIds)) + tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Encoding" + Arrays.toString(ids) + Arrays.toString(typeIds) + tokens;
    }
}
