package io.tttv2.api.modules;

import io.tttv2.api.ops.AttentionParams;

/**
 * What an {@link AttentionBackend} computes: the head layout and the attention's static choices.
 *
 * @param heads   query heads
 * @param kvHeads key/value heads (divides heads: GQA, MQA when 1)
 * @param headDim elements per head
 * @param params  scale, causality, sliding window, soft-cap
 */
public record AttentionBackendSpec(int heads, int kvHeads, int headDim, AttentionParams params) {

    public AttentionBackendSpec {
        if (heads <= 0 || kvHeads <= 0 || headDim <= 0 || heads % kvHeads != 0 || params == null) {
            throw new IllegalArgumentException("attention backend needs positive dims, heads divisible by kv heads"
                    + " and parameters, found heads " + heads + ", kv heads " + kvHeads + ", head dim " + headDim);
        }
    }

    /** The backend an attention of {@code spec} needs (causal, with its window, soft-cap and scaling). */
    public static AttentionBackendSpec causal(AttentionSpec spec) {
        return new AttentionBackendSpec(spec.heads(), spec.kvHeads(), spec.headDim(),
                new AttentionParams(spec.scaling(), true, spec.slidingWindow(), spec.softcap()));
    }
}
