package io.tttv2.api.ops;

/**
 * The static choices of one attention, bound when the module is built.
 *
 * @param scale         multiplies q·k (usually headDim^-0.5)
 * @param causal        a query sees only keys at positions ≤ its own
 * @param slidingWindow 0 for none; else a query at p sees keys at positions {@code > p - slidingWindow}
 * @param softcap       0 for none; else scores become {@code softcap·tanh(score/softcap)} before softmax
 * @param kvTile        0 for untiled (every key's score of a query held at once); else the cached key/value
 *                      positions the paged-cache kernels take per tile, folding tiles with an online softmax
 *                      (a running max and sum), so one tile's keys and values stay in cache while they are read.
 *                      Dense attention ({@link Ops#attention}) ignores it.
 */
public record AttentionParams(float scale, boolean causal, int slidingWindow, float softcap, int kvTile) {

    public AttentionParams {
        if (slidingWindow < 0 || softcap < 0 || !(scale > 0) || kvTile < 0) {
            throw new IllegalArgumentException("invalid attention parameters: scale " + scale + ", window "
                    + slidingWindow + ", softcap " + softcap + ", kvTile " + kvTile);
        }
    }

    /** Untiled parameters (the parameters before 2.2). */
    public AttentionParams(float scale, boolean causal, int slidingWindow, float softcap) {
        this(scale, causal, slidingWindow, softcap, 0);
    }

    /** These parameters with {@code tile} key/value positions per tile (0: untiled). */
    public AttentionParams withKvTile(int tile) {
        return new AttentionParams(scale, causal, slidingWindow, softcap, tile);
    }
}
