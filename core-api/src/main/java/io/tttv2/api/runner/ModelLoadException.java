package io.tttv2.api.runner;

/** A model could not be loaded; the message is one line naming file, key, expected and found. */
public final class ModelLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
