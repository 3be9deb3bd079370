package io.tttv2.integration.serving;

/** The server could not start (address in use, options that do not fit); the message is one line. */
public final class ServerStartException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
