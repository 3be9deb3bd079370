package io.tttv2.api.assembly;

/** An assembly descriptor is malformed; the message is one line naming the file, the key, the expected and found. */
public final class AssemblyFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AssemblyFormatException(String message) {
        super(message);
    }

    public AssemblyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
