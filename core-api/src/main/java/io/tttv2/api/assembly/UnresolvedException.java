package io.tttv2.api.assembly;

/** No installed candidate satisfies an assembly's requirement for a kind; the message says why, in one line. */
public final class UnresolvedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnresolvedException(String message) {
        super(message);
    }
}
