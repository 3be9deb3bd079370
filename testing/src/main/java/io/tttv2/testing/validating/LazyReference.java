package io.tttv2.testing.validating;

import java.util.function.Supplier;

/**
 * A reference built on first use (reading weights into arrays is only worth it if the module is called),
 * once. If building fails, every use throws the same failure, which the call records as a failed check: a
 * missing reference never stops the model.
 */
final class LazyReference<T> {

    private final Supplier<T> build;
    private T value;
    private RuntimeException failure;

    LazyReference(Supplier<T> build) {
        this.build = build;
    }

    synchronized T get() {
        if (value == null && failure == null) {
            try {
                value = build.get();
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage() == null ? failure.toString() : failure.getMessage(),
                    failure);
        }
        return value;
    }
}
