package io.tttv2.core.modules.latent;

import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.RowBuffer;

/**
 * Views of elements {@code [from, from + length)} of every head of a workspace [rows, heads, width]: of all heads
 * ({@link #all}: [n, heads, length]) or of one ({@link #head}: [n, length]), made the first time a row count (and
 * head) is asked for and reused, so that the per-token path allocates nothing once warm. Views are immutable:
 * racing to create one is harmless.
 */
final class HeadViews {

    private final RowBuffer buffer;
    private final int from;
    private final int length;
    private final Tensor[] all;         // all[n]: [n, heads, length]
    private final Tensor[][] heads;     // heads[n][h]: [n, length]

    HeadViews(RowBuffer buffer, int heads, int from, int length) {
        this.buffer = buffer;
        this.from = from;
        this.length = length;
        this.all = new Tensor[buffer.capacity() + 1];
        this.heads = new Tensor[buffer.capacity() + 1][heads];
    }

    /** The slice of every head of the first n rows: [n, heads, length] (strided). */
    Tensor all(int n) {
        Tensor t = all[n];
        if (t == null) {
            t = buffer.split(n).slice(2, from, length);
            all[n] = t;
        }
        return t;
    }

    /** The slice of head h of the first n rows: [n, length] (strided). */
    Tensor head(int n, int h) {
        Tensor t = heads[n][h];
        if (t == null) {
            t = buffer.split(n).select(1, h).slice(1, from, length);
            heads[n][h] = t;
        }
        return t;
    }
}
