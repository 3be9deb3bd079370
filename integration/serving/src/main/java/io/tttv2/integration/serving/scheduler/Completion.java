package io.tttv2.integration.serving.scheduler;

/**
 * How one request ended.
 *
 * @param reason           why it stopped
 * @param promptTokens     tokens of the prompt
 * @param completionTokens tokens generated (including an EOS token that ended it, as OpenAI counts)
 * @param text             all text streamed
 */
public record Completion(Outcome reason, int promptTokens, int completionTokens, String text) {

    /** Why a request stopped; {@link #openAiName()} is the {@code finish_reason} of OpenAI's API. */
    public enum Outcome {
        /** an end-of-sequence token or a stop string */
        STOP("stop"),
        /** {@code max_tokens} or the context */
        LENGTH("length"),
        /** the client cancelled (disconnected) or the server shut down */
        CANCELLED("cancelled");

        private final String openAiName;

        Outcome(String openAiName) {
            this.openAiName = openAiName;
        }

        public String openAiName() {
            return openAiName;
        }
    }
}
