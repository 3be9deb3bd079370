package io.tttv2.cli.generate;

import io.tttv2.integration.generation.GenerationResult;
import io.tttv2.integration.generation.GenerationStats;
import java.util.Locale;

/** The one line of figures that ends a generation on stderr. */
final class FiguresLine {

    private FiguresLine() {
    }

    /** {@code 3 prompt tokens, 32 generated (length); prefill 210.4 tokens/s, decode 95.1 tokens/s} */
    static String of(GenerationResult result) {
        GenerationStats s = result.stats();
        String prompt = s.cachedTokens() > 0
                ? s.promptTokens() + " prompt tokens (" + s.cachedTokens() + " already in the KV cache)"
                : s.promptTokens() + " prompt tokens";
        return prompt + ", " + s.generatedTokens() + " generated (" + result.finishReason().id() + "); prefill "
                + rate(s.prefillTokensPerSecond()) + ", decode " + rate(s.decodeTokensPerSecond());
    }

    private static String rate(double tokensPerSecond) {
        return Double.isNaN(tokensPerSecond) ? "- tokens/s" : String.format(Locale.ROOT, "%.1f tokens/s", tokensPerSecond);
    }
}
