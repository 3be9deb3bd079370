package io.tttv2.integration.tokenizers;

import java.io.Serial;

/**
 * A tokenizer or chat template that cannot be loaded or used. The message is one line that names the file
 * (and, for {@code tokenizer.json}, the JSON path), what was expected and what was found.
 */
public final class TokenizerException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
