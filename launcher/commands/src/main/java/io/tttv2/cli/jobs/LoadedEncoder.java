package io.tttv2.cli.jobs;

import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.integration.tokenizers.Tokenizer;

/** An encoder loaded once for batch jobs; one caller encodes at a time (the runner's buffers are its own). */
record LoadedEncoder(EncoderRunner runner, Tokenizer tokenizer, int padId) implements AutoCloseable {

    /** Texts encoded in one padded batch: the runner is loaded for this many. */
    static final int CHUNK = 32;

    @Override
    public void close() {
        runner.close();
    }
}
