package io.tttv2.testing.validation;

import java.util.Arrays;

/**
 * Where one mixture-of-experts layer sent its tokens: tokens per expert since the module was built (a token
 * counts once for each expert it picked).
 *
 * @param module          the layer's module path, e.g. {@code model.layers.3.mlp}
 * @param tokensPerExpert [experts]
 */
public record ExpertRouting(String module, long[] tokensPerExpert) {

    public ExpertRouting {
        tokensPerExpert = tokensPerExpert.clone();
    }

    @Override
    public long[] tokensPerExpert() {
        return tokensPerExpert.clone();
    }

    public int experts() {
        return tokensPerExpert.length;
    }

    /** Routed (token, expert) pairs. */
    public long total() {
        return Arrays.stream(tokensPerExpert).sum();
    }

    /** Experts no token went to. */
    public int unused() {
        return (int) Arrays.stream(tokensPerExpert).filter(n -> n == 0).count();
    }

    /** The busiest expert's load over the mean load (1 when balanced; NaN when nothing was routed). */
    public double imbalance() {
        long total = total();
        return total == 0 ? Double.NaN
                : Arrays.stream(tokensPerExpert).max().orElse(0) / ((double) total / tokensPerExpert.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExpertRouting r && module.equals(r.module) && Arrays.equals(tokensPerExpert, r.tokensPerExpert);
    }

    @Override
    public int hashCode() {
        return 31 * module.hashCode() + Arrays.hashCode(tokensPerExpert);
    }

    @Override
    public String toString() {
        return module + " " + Arrays.toString(tokensPerExpert);
    }
}
