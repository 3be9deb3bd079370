package io.tttv2.integration.generation;

import io.tttv2.integration.tokenizers.Tokenizer;
import java.nio.file.Path;

/** The byte-level BPE fixture (the embedded kjv-tiny model's tokenizer), found through {@code tttv2.root}. */
final class TokenizerFixture {

    /** Its special tokens: {@code <|endoftext|>}, {@code <|im_start|>}, {@code <|im_end|>}. */
    static final int END_OF_TEXT = 0;
    static final int IM_START = 1;
    static final int IM_END = 2;

    private static Tokenizer tokenizer;

    private TokenizerFixture() {
    }

    /** The fixture folder: tokenizer.json, tokenizer_config.json and chat_template.jinja. */
    static Path folder() {
        String root = System.getProperty("tttv2.root");
        if (root == null) {
            throw new IllegalStateException("system property tttv2.root is not set (surefire sets it)");
        }
        return Path.of(root, "testdata/fixtures/tokenizers/bytelevel-bpe");
    }

    static synchronized Tokenizer tokenizer() {
        if (tokenizer == null) {
            tokenizer = Tokenizer.load(folder().resolve("tokenizer.json"));
        }
        return tokenizer;
    }
}
