package io.tttv2.integration.generation;

import org.osgi.annotation.versioning.ProviderType;

/** Why a generation stopped. */
@ProviderType
public enum FinishReason {
    /** The model produced one of the end-of-sequence tokens. */
    EOS("eos"),
    /** The text reached one of the stop strings. */
    STOP_STRING("stop"),
    /** The new-token limit, or the model's context, was reached. */
    LENGTH("length");

    private final String id;

    FinishReason(String id) {
        this.id = id;
    }

    /** The name in JSON output: {@code eos}, {@code stop}, {@code length}. */
    public String id() {
        return id;
    }
}
