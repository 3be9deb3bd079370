package io.tttv2.testing.reference;

/** A row-wise feed-forward reference, what a decoder layer's {@code mlp} is: a dense MLP or a mixture of experts. */
public interface FeedForwardReference {

    /** x [rows, hidden] → y [rows, hidden]. */
    double[] apply(double[] x, int rows);
}
