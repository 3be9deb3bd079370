package io.tttv2.api.kv;

/** The pool has fewer free blocks than a sequence asked for. */
public final class KvCacheFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KvCacheFullException(String message) {
        super(message);
    }
}
