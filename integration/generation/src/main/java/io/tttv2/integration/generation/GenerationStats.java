package io.tttv2.integration.generation;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What one generation cost, timed with {@link System#nanoTime()}.
 *
 * @param promptTokens    tokens of the prompt (for a chat turn, the whole rendered conversation)
 * @param cachedTokens    of those, tokens whose keys and values were already in the KV cache (not prefilled again)
 * @param generatedTokens tokens the sampler produced
 * @param prefillNanos    time of the prefill of the {@link #prefilledTokens()} new tokens
 * @param decodeSteps     decode passes (each feeds one generated token back through the model)
 * @param decodeNanos     time from the end of the prefill to the last token: decode passes, sampling, detokenizing
 */
@ProviderType
public record GenerationStats(int promptTokens, int cachedTokens, int generatedTokens, long prefillNanos,
                             int decodeSteps, long decodeNanos) {

    /** Prompt tokens that went through the model in the prefill. */
    public int prefilledTokens() {
        return promptTokens - cachedTokens;
    }

    /** Prefilled tokens per second; NaN if nothing was timed. */
    public double prefillTokensPerSecond() {
        return perSecond(prefilledTokens(), prefillNanos);
    }

    /**
     * Generated tokens per second after the prefill: decode passes over their time (the first token comes
     * from the prefill's logits, so N tokens take N − 1 passes); NaN without a decode pass.
     */
    public double decodeTokensPerSecond() {
        return perSecond(decodeSteps, decodeNanos);
    }

    private static double perSecond(int tokens, long nanos) {
        return tokens == 0 || nanos <= 0 ? Double.NaN : tokens * 1e9 / nanos;
    }
}
