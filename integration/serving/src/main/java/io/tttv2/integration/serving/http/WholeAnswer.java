package io.tttv2.integration.serving.http;

import io.tttv2.integration.serving.scheduler.Completion;
import io.tttv2.integration.serving.scheduler.SequenceListener;
import java.util.function.IntConsumer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * A non-streaming answer: nothing is written until the request ends, then the whole completion (or the error) in
 * one non-blocking write from the scheduler's delivery thread; no HTTP thread waits for it.
 */
final class WholeAnswer implements SequenceListener {

    private final Response response;
    private final Callback exchange;
    private final ChoiceWriter choices;
    private final IntConsumer answered;          // told the status once the answer is written

    WholeAnswer(Response response, Callback exchange, ChoiceWriter choices, IntConsumer answered) {
        this.response = response;
        this.exchange = exchange;
        this.choices = choices;
        this.answered = answered;
    }

    @Override
    public void text(String piece) {
        // the completion carries the whole text
    }

    @Override
    public void finished(Completion c) {
        if (c.reason() == Completion.Outcome.CANCELLED) {
            answer(new ApiError(503, "server_error", null, null, "the request was cancelled: the server is stopping"));
        } else {
            answered.accept(ApiHandler.write(response, exchange, 200, ApiHandler.JSON_TYPE, choices.whole(c).toString()));
        }
    }

    @Override
    public void failed(String message) {
        answer(new ApiError(500, "server_error", null, null, "the model failed: " + message));
    }

    private void answer(ApiError e) {
        answered.accept(ApiHandler.write(response, exchange, e.status, ApiHandler.JSON_TYPE, ApiHandler.errorBody(e)));
    }
}
