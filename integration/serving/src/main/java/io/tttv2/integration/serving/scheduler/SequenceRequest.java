package io.tttv2.integration.serving.scheduler;

import io.tttv2.integration.generation.SamplingParams;

/**
 * One request for the scheduler.
 *
 * @param promptIds [P] the prompt's tokens, already checked against the model's vocabulary
 * @param params    sampling, {@code maxNewTokens} and stop strings of this request
 * @param listener  receives text and the end
 */
public record SequenceRequest(int[] promptIds, SamplingParams params, SequenceListener listener) {

    public SequenceRequest {
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("a request needs at least one prompt token");
        }
        promptIds = promptIds.clone();
    }
}
