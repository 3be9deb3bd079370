package io.tttv2.integration.hf.cache;

/** Why a cache file cannot be used (stale, torn, corrupt); the message is one line naming the file. */
final class UnusableCacheFile extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableCacheFile(String message) {
        super(message, null, false, false);
    }
}
