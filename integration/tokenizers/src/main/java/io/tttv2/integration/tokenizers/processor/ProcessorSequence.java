package io.tttv2.integration.tokenizers.processor;

import io.tttv2.integration.tokenizers.Encoding;
import java.util.List;

/** {@code Sequence}: each post-processor in turn. */
public record ProcessorSequence(List<PostProcessor> steps) implements PostProcessor {
    public ProcessorSequence {
        steps = List.copyOf(steps);
    }

    @Override
    public Encoding process(Encoding encoding, boolean addSpecialTokens) {
        Encoding out = encoding;
        for (PostProcessor step : steps) {
            out = step.process(out, addSpecialTokens);
        }
        return out;
    }
}
