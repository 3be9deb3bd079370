package io.tttv2.testing.profile;

/**
 * What one module call computes and moves: floating-point operations (a fused multiply-add counts two) and
 * bytes read or written in memory (weights, KV cache, activations in and out), both estimated from the
 * call's shapes and dtypes. {@link #UNKNOWN} for a kind without a cost model: its time still counts.
 */
public record CallCost(double flops, double bytes) {

    public static final CallCost UNKNOWN = new CallCost(0, 0);

    public CallCost {
        if (!(flops >= 0) || !(bytes >= 0)) {
            throw new IllegalArgumentException("a call's FLOPs and bytes must be non-negative, found " + flops + ", " + bytes);
        }
    }
}
