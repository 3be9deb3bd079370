package io.tttv2.integration.tokenizers.pipeline;

import io.tttv2.integration.tokenizers.Encoding;

/**
 * HF tokenizers' {@code TruncationStrategy::LongestFirst} with stride 0, on the right: the budget is what the
 * special tokens leave. A single text keeps its first {@code budget} tokens. A pair that does not fit: if the
 * shorter text leaves room, the longer one gets the rest (but never less than the shorter); otherwise each gets
 * half, the first text's share rounded down and the second's up.
 */
final class LongestFirst {

    private LongestFirst() {
    }

    /** {first, second} truncated so their lengths add up to at most {@code budget}; second may be null. */
    static Encoding[] truncate(Encoding first, Encoding second, int budget) {
        if (second == null) {
            return new Encoding[] {first.truncated(budget), null};
        }
        if (first.size() + second.size() <= budget) {
            return new Encoding[] {first, second};
        }
        boolean swapped = first.size() > second.size();
        int shorter = Math.min(first.size(), second.size());
        int longer = shorter > budget ? shorter : Math.max(shorter, budget - shorter);
        if (shorter + longer > budget) {
            shorter = budget / 2;
            longer = shorter + budget % 2;
        }
        int firstLength = swapped ? longer : shorter;
        int secondLength = swapped ? shorter : longer;
        return new Encoding[] {first.truncated(firstLength), second.truncated(secondLength)};
    }
}
