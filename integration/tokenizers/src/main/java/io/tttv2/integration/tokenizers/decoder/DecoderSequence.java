package io.tttv2.integration.tokenizers.decoder;

import java.util.List;

/** {@code Sequence}: each decoder's chain on the previous one's output. */
public record DecoderSequence(List<Decoder> steps) implements Decoder {
    public DecoderSequence {
        steps = List.copyOf(steps);
    }

    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = tokens;
        for (Decoder step : steps) {
            out = step.decodeChain(out);
        }
        return out;
    }
}
