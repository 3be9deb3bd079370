package io.tttv2.integration.tokenizers.pretokenizer;

/**
 * What happens to the matches of a split (HF {@code SplitDelimiterBehavior}). Each constant turns
 * {@link Matches} into the ranges that become pieces, exactly as {@code NormalizedString::split} does.
 */
public enum SplitBehavior {
    /** Matches are dropped. */
    REMOVED,
    /** Matches become pieces of their own. */
    ISOLATED,
    /** A match is appended to the piece before it. */
    MERGED_WITH_PREVIOUS,
    /** A match is prepended to the piece after it. */
    MERGED_WITH_NEXT,
    /** Consecutive matches (and consecutive non-matches) are fused. */
    CONTIGUOUS;

    /** Receives one resulting range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeSink {
        void accept(int start, int end);
    }

    /** Parses the JSON spelling ({@code "Isolated"}, {@code "MergedWithPrevious"}, …); null if unknown. */
    public static SplitBehavior fromJson(String name) {
        return switch (name) {
            case "Removed" -> REMOVED;
            case "Isolated" -> ISOLATED;
            case "MergedWithPrevious" -> MERGED_WITH_PREVIOUS;
            case "MergedWithNext" -> MERGED_WITH_NEXT;
            case "Contiguous" -> CONTIGUOUS;
            default -> null;
        };
    }

    public void apply(Matches m, RangeSink out) {
        int n = m.size();
        switch (this) {
            case REMOVED -> {
                for (int i = 0; i < n; i++) {
                    if (!m.isMatch(i)) {
                        out.accept(m.start(i), m.end(i));
                    }
                }
            }
            case ISOLATED -> {
                for (int i = 0; i < n; i++) {
                    out.accept(m.start(i), m.end(i));
                }
            }
            case MERGED_WITH_PREVIOUS -> {
                // A match extends the previous range unless that range was itself a match.
                int start = -1;
                int end = -1;
                boolean previousMatch = false;
                for (int i = 0; i < n; i++) {
                    if (m.isMatch(i) && !previousMatch && start >= 0) {
                        end = m.end(i);
                    } else {
                        if (start >= 0) {
                            out.accept(start, end);
                        }
                        start = m.start(i);
                        end = m.end(i);
                    }
                    previousMatch = m.isMatch(i);
                }
                if (start >= 0) {
                    out.accept(start, end);
                }
            }
            case MERGED_WITH_NEXT -> {
                // Walk backwards: a match extends the following range unless that range was itself a match.
                int[] starts = new int[n];
                int[] ends = new int[n];
                int count = 0;
                boolean previousMatch = false;
                for (int i = n - 1; i >= 0; i--) {
                    if (m.isMatch(i) && !previousMatch && count > 0) {
                        starts[count - 1] = m.start(i);
                    } else {
                        starts[count] = m.start(i);
                        ends[count] = m.end(i);
                        count++;
                    }
                    previousMatch = m.isMatch(i);
                }
                for (int k = count - 1; k >= 0; k--) {
                    out.accept(starts[k], ends[k]);
                }
            }
            case CONTIGUOUS -> {
                int start = -1;
                int end = -1;
                boolean previousMatch = false;
                for (int i = 0; i < n; i++) {
                    if (m.isMatch(i) == previousMatch && start >= 0) {
                        end = m.end(i);
                    } else {
                        if (start >= 0) {
                            out.accept(start, end);
                        }
                        start = m.start(i);
                        end = m.end(i);
                    }
                    previousMatch = m.isMatch(i);
                }
                if (start >= 0) {
                    out.accept(start, end);
                }
            }
            default -> throw new IllegalStateException(name());
        }
    }
}
