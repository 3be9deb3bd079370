package io.tttv2.integration.tokenizers.added;

/** One entry of {@code added_tokens} in {@code tokenizer.json}. */
public record AddedToken(int id, String content, boolean singleWord, boolean lstrip, boolean rstrip,
                         boolean normalized, boolean special) {
}
