package io.tttv2.launcher;

/** The host could not start; the message is the one line the user sees. */
public final class HostStartException extends Exception {
    private static final long serialVersionUID = 1L;

    HostStartException(String message) {
        super(message);
    }

    HostStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
