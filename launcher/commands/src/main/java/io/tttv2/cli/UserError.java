package io.tttv2.cli;

/**
 * A failure caused by what the user gave (a file, a value): printed as one line, no stack trace unless
 * {@code --verbose}, and the exit code it carries (1 for bad input, 2 for bad usage).
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public UserError(String message) {
        this(message, 1, null);
    }

    public UserError(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
