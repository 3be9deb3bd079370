package io.tttv2.integration.tokenizers.normalizer;

import java.util.List;

/** {@code Sequence}: each normalizer in turn. */
public record NormalizerSequence(List<Normalizer> steps) implements Normalizer {
    public NormalizerSequence {
        steps = List.copyOf(steps);
    }

    @Override
    public String normalize(String text) {
        String s = text;
        for (Normalizer step : steps) {
            s = step.normalize(s);
        }
        return s;
    }
}
