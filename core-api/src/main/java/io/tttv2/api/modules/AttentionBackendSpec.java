package io.tttv2.api.modules;

import io.tttv2.api.ops.AttentionParams;

/**
 * What an {@link AttentionBackend} computes: the head layout and the attention's static choices. Queries and
 * keys are {@code headDim} wide, values and the output {@code valueDim} wide: equal for standard attention;
 * multi-head latent attention (absorbed) attends with queries as wide as its cache entry (latent + rotary key)
 * and reads values from the latent, the first {@code valueDim} elements of each key entry.
 *
 * @param heads    query heads
 * @param kvHeads  key/value heads (divides heads: GQA, MQA when 1)
 * @param headDim  elements per query and key head
 * @param valueDim elements per value and output head (≤ headDim when values are read from the keys)
 * @param params   scale, causality, sliding window, soft-cap
 */
public record AttentionBackendSpec(int heads, int kvHeads, int headDim, int valueDim, AttentionParams params) {

    public AttentionBackendSpec {
        if (heads <= 0 || kvHeads <= 0 || headDim <= 0 || valueDim <= 0 || heads % kvHeads != 0 || params == null) {
            throw new IllegalArgumentException("attention backend needs positive dims, heads divisible by kv heads"
                    + " and parameters, found heads " + heads + ", kv heads " + kvHeads + ", head dim " + headDim
                    + ", value dim " + valueDim);
        }
    }

    /** Keys and values of one width, {@code headDim}. */
    public AttentionBackendSpec(int heads, int kvHeads, int headDim, AttentionParams params) {
        this(heads, kvHeads, headDim, headDim, params);
    }

    /** True when values are narrower than keys or otherwise not the keys' width (a latent cache). */
    public boolean splitWidths() {
        return valueDim != headDim;
    }

    /** The backend an attention of {@code spec} needs (causal, with its window, soft-cap and scaling). */
    public static AttentionBackendSpec causal(AttentionSpec spec) {
        return new AttentionBackendSpec(spec.heads(), spec.kvHeads(), spec.headDim(),
                new AttentionParams(spec.scaling(), true, spec.slidingWindow(), spec.softcap()));
    }

    /**
     * The backend an absorbed latent attention of {@code spec} needs: every head attends to one shared entry per
     * token (latent + rotary key, kvHeads 1) and reads the latent as its value; causal, the spec's scaling.
     */
    public static AttentionBackendSpec latent(LatentAttentionSpec spec) {
        return new AttentionBackendSpec(spec.heads(), 1, spec.cacheWidth(), spec.kvLoraRank(),
                new AttentionParams(spec.scaling(), true, 0, 0f));
    }
}
