package io.tttv2.integration.tokenizers.model;

/** Turns one word into token ids (HF {@code Model::tokenize}); the token strings are the vocabulary's. */
public interface Model {

    /** [n] ids of {@code word}; empty for an empty word. */
    int[] tokenize(String word);

    /** The vocabulary of this model. */
    Vocabulary vocabulary();
}
