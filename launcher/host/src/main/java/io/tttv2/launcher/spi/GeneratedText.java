package io.tttv2.launcher.spi;

/**
 * One row's generation.
 *
 * @param text             the generated text (without the prompt); null on error
 * @param tokenIds         [completionTokens] the generated token ids (with an EOS that ended it); null on error
 * @param finishReason     "stop" (EOS or stop string) or "length" (max tokens or context); null on error
 * @param promptTokens     tokens of the prompt
 * @param completionTokens tokens generated
 * @param millis           from submission to the last token
 * @param error            null, or one line saying why this row did not run
 */
public record GeneratedText(String text, int[] tokenIds, String finishReason, int promptTokens, int completionTokens,
                            long millis, String error) {

    public static GeneratedText failed(int promptTokens, String error) {
        return new GeneratedText(null, null, null, promptTokens, 0, 0, error);
    }
}
