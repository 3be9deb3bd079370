package io.tttv2.integration.generation;

import java.io.Serial;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A generation that cannot run as asked: an empty prompt, a prompt longer than the model's context, a token
 * the model does not know. The message is one line naming what was expected and what was found.
 */
@ProviderType
public final class GenerationException extends RuntimeException {
    @Serial
    private static final long serialVersionUID = 1L;

    public GenerationException(String message) {
        super(message);
    }
}
