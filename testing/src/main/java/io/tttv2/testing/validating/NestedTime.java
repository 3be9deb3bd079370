package io.tttv2.testing.validating;

/**
 * Validation time spent by validated modules on the current thread: copying inputs, running references,
 * comparing. A module that calls validated parts (a decoder layer, an attention calling its rotary) subtracts
 * what its parts spent on validation from its own implementation time, so that speed-ups compare the
 * implementation with the reference and not with the validation around its parts.
 */
final class NestedTime {

    private static final ThreadLocal<long[]> SPENT = ThreadLocal.withInitial(() -> new long[1]);

    private NestedTime() {
    }

    /** Nanoseconds spent on validation on this thread so far. */
    static long spent() {
        return SPENT.get()[0];
    }

    static void add(long nanos) {
        SPENT.get()[0] += nanos;
    }
}
