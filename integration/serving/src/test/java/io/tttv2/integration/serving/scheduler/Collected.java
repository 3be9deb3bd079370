package io.tttv2.integration.serving.scheduler;

import java.util.ArrayList;
import java.util.List;

/** A listener that keeps what it receives, for tests (the tests call {@code step()} on their own thread). */
final class Collected implements SequenceListener {
    final List<String> pieces = new ArrayList<>();
    volatile Completion completion;
    String failure;
    volatile int ends;

    @Override
    public void text(String piece) {
        pieces.add(piece);
    }

    @Override
    public void finished(Completion c) {
        completion = c;
        ends++;
    }

    @Override
    public void failed(String message) {
        failure = message;
        ends++;
    }

    boolean done() {
        return ends > 0;
    }

    String text() {
        return String.join("", pieces);
    }
}
