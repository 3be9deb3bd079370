package io.tttv2.integration.tokenizers.decoder;

import java.util.ArrayList;
import java.util.List;

/** {@code Strip}: removes up to {@code start} leading and {@code stop} trailing {@code content} characters per token. */
public record StripDecoder(int content, int start, int stop) implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        List<String> out = new ArrayList<>(tokens.size());
        for (String token : tokens) {
            int[] cps = token.codePoints().toArray();
            int startCut = 0;
            for (int i = 0; i < Math.min(start, cps.length) && cps[i] == content; i++) {
                startCut = i + 1;
            }
            int stopCut = cps.length;
            for (int i = 0; i < stop && cps.length - i - 1 >= 0; i++) {
                int index = cps.length - i - 1;
                if (cps[index] != content) {
                    break;
                }
                stopCut = index;
            }
            out.add(startCut >= stopCut ? "" : new String(cps, startCut, stopCut - startCut));
        }
        return out;
    }
}
