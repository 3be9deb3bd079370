package io.tttv2.integration.tokenizers.processor;

import io.tttv2.integration.tokenizers.Encoding;
import java.util.List;

/** {@code Sequence}: each post-processor in turn, each seeing the parts the previous one returned. */
public record ProcessorSequence(List<PostProcessor> steps) implements PostProcessor {
    public ProcessorSequence {
        steps = List.copyOf(steps);
    }

    @Override
    public List<Encoding> process(List<Encoding> parts, boolean addSpecialTokens) {
        List<Encoding> out = parts;
        for (PostProcessor step : steps) {
            out = step.process(out, addSpecialTokens);
        }
        return out;
    }

    @Override
    public int addedTokens(boolean pair) {
        return steps.stream().mapToInt(s -> s.addedTokens(pair)).sum();
    }
}
