package io.tttv2.integration.tokenizers.model;

import io.tttv2.integration.tokenizers.TokenizerException;

/**
 * {@code WordPiece} (BERT): greedy longest-match-first from the left; pieces after the first carry the
 * continuing prefix ({@code ##}). A word longer than {@code max_input_chars_per_word} characters, or one that
 * cannot be covered, becomes the unknown token.
 */
public final class WordPiece implements Model {
    private final Vocabulary vocabulary;
    private final int unkId;
    private final String unkToken;
    private final String prefix;
    private final int maxInputCharsPerWord;

    public WordPiece(Vocabulary vocabulary, String unkToken, String continuingSubwordPrefix, int maxInputCharsPerWord) {
        this.vocabulary = vocabulary;
        this.unkToken = unkToken;
        this.unkId = vocabulary.id(unkToken);
        this.prefix = continuingSubwordPrefix;
        this.maxInputCharsPerWord = maxInputCharsPerWord;
    }

    @Override
    public int[] tokenize(String word) {
        if (word.isEmpty()) {
            return new int[0];
        }
        if (word.codePointCount(0, word.length()) > maxInputCharsPerWord) {
            return unknown();
        }
        int[] ids = new int[word.length()];
        int count = 0;
        int start = 0;
        while (start < word.length()) {
            int end = word.length();
            int found = -1;
            while (start < end) {
                String candidate = start > 0 ? prefix + word.substring(start, end) : word.substring(start, end);
                int id = vocabulary.id(candidate);
                if (id >= 0) {
                    found = id;
                    break;
                }
                end -= Character.charCount(word.codePointBefore(end));
            }
            if (found < 0) {
                return unknown();
            }
            ids[count++] = found;
            start = end;
        }
        return java.util.Arrays.copyOf(ids, count);
    }

    private int[] unknown() {
        if (unkId < 0) {
            throw new TokenizerException("model.unk_token '" + unkToken + "' is not in model.vocab, and the text holds a"
                    + " word the vocabulary lacks (HF refuses it too: UnkTokenOutOfVocabulary)");
        }
        return new int[] {unkId};
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }
}
