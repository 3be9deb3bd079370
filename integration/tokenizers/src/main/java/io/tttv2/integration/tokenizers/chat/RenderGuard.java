package io.tttv2.integration.tokenizers.chat;

import com.hubspot.jinjava.el.JinjavaNodePreProcessor;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.tree.Node;
import java.util.function.BiConsumer;

/**
 * Stops a rendering for good. Jinjava turns most exceptions inside a template into an error on the result and
 * renders on, so a limit reached in a loop body, or the interrupt of a timed-out render, would only end that
 * iteration and the next would run. Once a limit is reached or the thread is interrupted, this runs before
 * every node and throws {@link Stopped}, an {@link Error} Jinjava does not catch, which unwinds the whole
 * rendering: its thread ends and what it built becomes garbage.
 *
 * <p>Each rendering has its own thread (see {@link JinjaChatTemplate}), so the reason is thread-local.
 */
final class RenderGuard implements BiConsumer<Node, JinjavaInterpreter> {
    private static final ThreadLocal<String> STOP_REASON = new ThreadLocal<>();

    /** Jinjava's own pre-processor: it records the current node (for error line numbers). */
    private final JinjavaNodePreProcessor jinjava = new JinjavaNodePreProcessor();

    @Override
    public void accept(Node node, JinjavaInterpreter interpreter) {
        check();
        jinjava.accept(node, interpreter);
    }

    /** Throws {@link Stopped} if this rendering must end; cheap enough for every node and method call. */
    static void check() {
        String reason = STOP_REASON.get();
        if (reason != null) {
            throw new Stopped(reason);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new Stopped("interrupted");
        }
    }

    /** Marks this rendering as over {@code what} and returns the exception to throw where it was found. */
    static Stopped exceeded(String what) {
        STOP_REASON.set(what);
        return new Stopped(what);
    }

    /** The reason this thread's rendering was stopped, or null. */
    static String reason() {
        return STOP_REASON.get();
    }

    /** Ends a rendering; its message is the reason, for one line naming the template. */
    static final class Stopped extends Error {
        private static final long serialVersionUID = 1L;

        Stopped(String reason) {
            super(reason, null, false, false);    // no stack trace: it is thrown on purpose, often
        }
    }
}
