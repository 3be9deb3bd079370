package io.tttv2.integration.generation;

/**
 * The tokens one sequence has seen, as the penalties need them: which tokens occur in prompt or output
 * (HF's repetition penalty) and how often each occurs in the output (OpenAI's presence and frequency
 * penalties). Arrays of the vocabulary's size, allocated once; recording a token allocates nothing.
 */
final class TokenHistory {

    private final boolean[] seen;        // [vocab] in prompt or output
    private final int[] seenTokens;      // [vocab] distinct tokens of prompt and output, first seenCount used
    private int seenCount;
    private final int[] outputCounts;    // [vocab] occurrences in the output
    private final int[] outputTokens;    // [vocab] distinct output tokens, first outputDistinct used
    private int outputDistinct;

    TokenHistory(int vocabSize) {
        seen = new boolean[vocabSize];
        seenTokens = new int[vocabSize];
        outputCounts = new int[vocabSize];
        outputTokens = new int[vocabSize];
    }

    void addPrompt(int token) {
        markSeen(token);
    }

    void addOutput(int token) {
        markSeen(token);
        if (outputCounts[token]++ == 0) {
            outputTokens[outputDistinct++] = token;
        }
    }

    private void markSeen(int token) {
        if (token < 0 || token >= seen.length) {
            throw new IllegalArgumentException("token " + token + " outside the vocabulary of " + seen.length);
        }
        if (!seen[token]) {
            seen[token] = true;
            seenTokens[seenCount++] = token;
        }
    }

    /**
     * HF's {@code RepetitionPenaltyLogitsProcessor}: once per distinct token of prompt and output, a positive
     * logit is divided by {@code penalty}, a negative one multiplied.
     */
    void applyRepetitionPenalty(float[] logits, float penalty) {
        for (int i = 0; i < seenCount; i++) {
            int t = seenTokens[i];
            float v = logits[t];
            logits[t] = v < 0 ? v * penalty : v / penalty;
        }
    }

    /** OpenAI's: {@code logit -= presence · [count > 0] + frequency · count} over the tokens generated so far. */
    void applyPresenceAndFrequency(float[] logits, float presence, float frequency) {
        for (int i = 0; i < outputDistinct; i++) {
            int t = outputTokens[i];
            logits[t] -= presence + frequency * outputCounts[t];
        }
    }

    /** Occurrences of {@code token} in the output so far. */
    int outputCount(int token) {
        return outputCounts[token];
    }
}
