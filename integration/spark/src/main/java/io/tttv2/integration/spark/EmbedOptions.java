package io.tttv2.integration.spark;

import java.io.Serializable;
import java.util.Set;

/**
 * How {@link Tttv2Spark#embed} makes each row's vector, as the {@code embed} command's options do.
 *
 * @param pooling   "cls", "mean" or "pooler"
 * @param normalize scale each vector to unit length
 */
public record EmbedOptions(String pooling, boolean normalize) implements Serializable {

    private static final Set<String> POOLINGS = Set.of("cls", "mean", "pooler");

    public EmbedOptions {
        if (!POOLINGS.contains(pooling)) {
            throw new IllegalArgumentException("pooling: expected cls, mean or pooler, found '" + pooling + "'");
        }
    }

    /** Mean pooling, not normalised (the {@code embed} command's defaults). */
    public static EmbedOptions defaults() {
        return new EmbedOptions("mean", false);
    }
}
