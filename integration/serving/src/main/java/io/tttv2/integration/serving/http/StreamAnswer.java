package io.tttv2.integration.serving.http;

import io.tttv2.integration.serving.scheduler.Completion;
import io.tttv2.integration.serving.scheduler.Scheduler;
import io.tttv2.integration.serving.scheduler.SequenceListener;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A streaming answer (server-sent events) written straight from the scheduler's delivery thread with Jetty's
 * non-blocking writes: no HTTP thread waits per stream. Measured on kjv-tiny with eight streams on 2 cores, the
 * thread that used to wait per stream cost one more wake-up per token per stream, each taking a core from the
 * model's step.
 *
 * <p>Jetty allows one write in flight per response, so events that come while one is in flight gather in
 * {@link #pending} and go out together when it completes; the last write carries the end of the stream. A write
 * that fails (the client left) cancels the request and fails the exchange.
 */
final class StreamAnswer implements SequenceListener {

    private final Response response;
    private final Callback exchange;             // Jetty's callback for the whole request: completed once, at the end
    private final ChoiceWriter choices;
    private final boolean includeUsage;
    private final Runnable ended;                // told once the exchange is completed or failed
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();   // guarded by this
    private boolean started;                     // attached: the headers are set (guarded by this)
    private boolean writing;                     // a write is in flight (guarded by this)
    private boolean last;                        // the stream's end is in pending (guarded by this)
    private boolean closed;                      // the last write was started, or a write failed (guarded by this)
    private volatile Runnable cancel;            // drops the request at the scheduler (set by attach)

    private final Callback written = new Callback() {
        @Override
        public void succeeded() {
            boolean finished;
            synchronized (StreamAnswer.this) {
                writing = false;
                finished = closed;
            }
            if (finished) {
                exchange.succeeded();
                ended.run();
            } else {
                flush();
            }
        }

        @Override
        public void failed(Throwable x) {
            synchronized (StreamAnswer.this) {
                writing = false;
                closed = true;
                pending.reset();
            }
            cancel.run();                    // writes start only once attached: cancel is set
            exchange.failed(x);
            ended.run();
        }
    };

    StreamAnswer(Response response, Callback exchange, ChoiceWriter choices, boolean includeUsage, Runnable ended) {
        this.response = response;
        this.exchange = exchange;
        this.choices = choices;
        this.includeUsage = includeUsage;
        this.ended = ended;
        var opening = choices.opening();
        if (opening != null) {
            event(opening.toString());
        }
    }

    /**
     * The request was accepted: the status line and headers are set and events may go out (those that came
     * before wait in pending). {@code cancel} drops the request at the scheduler ({@link Scheduler.Submission#cancel()}),
     * run if a write fails because the client went away.
     */
    void attach(Runnable cancel) {
        this.cancel = cancel;
        synchronized (this) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            started = true;
        }
        flush();
    }

    @Override
    public void text(String piece) {
        event(choices.piece(piece).toString());
        flush();
    }

    @Override
    public void finished(Completion c) {
        if (c.reason() == Completion.Outcome.CANCELLED) {
            event(ApiHandler.errorBody(new ApiError(503, "server_error", null, null,
                    "the request was cancelled: the server is stopping")));
        } else {
            event(choices.closing(c).toString());
            if (includeUsage) {
                event(choices.usageChunk(c).toString());
            }
            event("[DONE]");
        }
        end();
    }

    @Override
    public void failed(String message) {
        event(ApiHandler.errorBody(new ApiError(500, "server_error", null, null, "the model failed: " + message)));
        end();
    }

    private synchronized void event(String data) {
        if (!closed) {
            pending.writeBytes(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void end() {
        synchronized (this) {
            last = true;
        }
        flush();
    }

    /** Starts a write of what is pending unless one is in flight (its completion calls this again). */
    private void flush() {
        ByteBuffer bytes;
        boolean isLast;
        synchronized (this) {
            if (!started || writing || closed || (pending.size() == 0 && !last)) {
                return;
            }
            bytes = ByteBuffer.wrap(pending.toByteArray());
            pending.reset();
            isLast = last;
            writing = true;
            closed = isLast;
        }
        response.write(isLast, bytes, written);     // outside the lock: Jetty may complete it on this thread or another
    }
}
