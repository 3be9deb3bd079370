package io.tttv2.api.ops;

/**
 * The static choices of one attention, bound when the module is built.
 *
 * @param scale         multiplies q·k (usually headDim^-0.5)
 * @param causal        a query sees only keys at positions ≤ its own
 * @param slidingWindow 0 for none; else a query at p sees keys at positions {@code > p - slidingWindow}
 * @param softcap       0 for none; else scores become {@code softcap·tanh(score/softcap)} before softmax
 */
public record AttentionParams(float scale, boolean causal, int slidingWindow, float softcap) {

    public AttentionParams {
        if (slidingWindow < 0 || softcap < 0 || !(scale > 0)) {
            throw new IllegalArgumentException("invalid attention parameters: scale " + scale + ", window "
                    + slidingWindow + ", softcap " + softcap);
        }
    }
}
