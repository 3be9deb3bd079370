package io.tttv2.integration.generation;

import java.io.Serial;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A sampling value outside its range. The message is one line, {@code top_p: expected a number in (0, 1],
 * found 1.5}; callers that took the value from elsewhere (a command-line option, a file) re-word it with
 * {@link #parameter()}, {@link #expected()} and {@link #found()}.
 */
@ProviderType
public final class InvalidSamplingParameterException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final String expected;
    private final String found;

    public InvalidSamplingParameterException(String parameter, String expected, String found) {
        super(parameter + ": expected " + expected + ", found " + found);
        this.parameter = parameter;
        this.expected = expected;
        this.found = found;
    }

    /** The parameter under HuggingFace's name: {@code temperature}, {@code top_p}, {@code max_new_tokens}, … */
    public String parameter() {
        return parameter;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }
}
