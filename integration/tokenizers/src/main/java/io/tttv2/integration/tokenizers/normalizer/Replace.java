package io.tttv2.integration.tokenizers.normalizer;

import io.tttv2.integration.tokenizers.pretokenizer.Matches;
import io.tttv2.integration.tokenizers.pretokenizer.SplitPattern;

/** {@code Replace}: every match of a literal or regex pattern becomes {@code content}. */
public record Replace(SplitPattern pattern, String content) implements Normalizer {
    @Override
    public String normalize(String text) {
        return replaceAll(pattern, content, text);
    }

    /** Shared with the {@code Replace} decoder: the same pattern semantics. */
    public static String replaceAll(SplitPattern pattern, String content, String text) {
        Matches m = pattern.find(text);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < m.size(); i++) {
            if (m.isMatch(i)) {
                out.append(content);
            } else {
                out.append(text, m.start(i), m.end(i));
            }
        }
        return out.toString();
    }
}
