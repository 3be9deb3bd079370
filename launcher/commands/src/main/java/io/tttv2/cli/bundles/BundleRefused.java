package io.tttv2.cli.bundles;

/**
 * Why a jar is not accepted into the user bundle folder: one line naming the file and the reason. Verify and
 * install throw it for the same reasons, so whatever {@code bundles verify} refuses, {@code bundles install}
 * refuses with the same line.
 */
public final class BundleRefused extends Exception {
    private static final long serialVersionUID = 1L;

    public BundleRefused(String message) {
        super(message);
    }

    public BundleRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
