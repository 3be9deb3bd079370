package io.tttv2.testing.profiling;

/**
 * The profiled calls in progress on the current thread, so that a module calling profiled modules (a decoder
 * layer calling its attention, an attention its rotary and backend) is charged its own time only, and a call
 * named neither prefill nor decode (a router's {@code route}) takes the phase of the call around it.
 */
final class CallStack {

    private static final ThreadLocal<Frame> CURRENT = new ThreadLocal<>();

    private CallStack() {
    }

    /** One call in progress: the phase it runs in, and the time its profiled callees took so far. */
    static final class Frame {
        final Frame parent;
        final String phase;
        long children;

        private Frame(Frame parent, String phase) {
            this.parent = parent;
            this.phase = phase;
        }
    }

    /** Starts a call; {@code phase} null inherits the enclosing call's ({@code fallback} at the top). */
    static Frame enter(String phase, String fallback) {
        Frame parent = CURRENT.get();
        Frame frame = new Frame(parent, phase != null ? phase : parent != null ? parent.phase : fallback);
        CURRENT.set(frame);
        return frame;
    }

    /**
     * Counts {@code nanos} spent profiling the ended {@code frame} (entering it, costing and recording it) as
     * callee time of the call around it, so a module calling many profiled modules is not charged the
     * profiler's bookkeeping as its own time.
     */
    static void chargeToCallees(Frame frame, long nanos) {
        if (frame.parent != null) {
            frame.parent.children += nanos;
        }
    }

    /** Ends {@code frame}, which took {@code elapsed} ns in all; returns its own time. */
    static long exit(Frame frame, long elapsed) {
        CURRENT.set(frame.parent);
        if (frame.parent != null) {
            frame.parent.children += elapsed;
        }
        return Math.max(0, elapsed - frame.children);
    }
}
