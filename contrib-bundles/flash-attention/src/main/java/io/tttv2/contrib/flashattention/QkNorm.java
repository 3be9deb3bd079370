package io.tttv2.contrib.flashattention;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;

/**
 * The normalisation of projected queries or keys before RoPE (HF's {@code q_norm}, {@code k_norm}), bound at
 * construction: none; per head over headDim (Qwen3, Gemma 3: the projection seen as [rows · heads, D]); or
 * over the whole projection (OLMo 2: [rows, heads · D]). RMS or LayerNorm by the spec's kind, in place.
 */
interface QkNorm {

    /** Normalises {@code projection} [rows, heads · D] in place. */
    void apply(Tensor projection);

    QkNorm NONE = projection -> { };

    /** The q (heads = spec.heads) or k (heads = spec.kvHeads) norm the spec asks for. */
    static QkNorm of(AttentionSpec spec, int heads, Weights weights, Ops ops) {
        NormSpec ns = spec.qkNormSpec();
        return switch (spec.qkNorm()) {
            case NONE -> NONE;
            case PER_HEAD -> {
                Tensor w = ProjectionWeights.vectorF32(weights, "weight", spec.headDim(), ops);
                Tensor b = ns.bias() ? ProjectionWeights.vectorF32(weights, "bias", spec.headDim(), ops) : null;
                yield projection -> normalise(ns, ops, projection.reshape(projection.dim(0) * heads, spec.headDim()), w, b);
            }
            case FULL -> {
                int width = heads * spec.headDim();
                Tensor w = ProjectionWeights.vectorF32(weights, "weight", width, ops);
                Tensor b = ns.bias() ? ProjectionWeights.vectorF32(weights, "bias", width, ops) : null;
                yield projection -> normalise(ns, ops, projection, w, b);
            }
        };
    }

    private static void normalise(NormSpec ns, Ops ops, Tensor x, Tensor weight, Tensor bias) {
        switch (ns.kind()) {
            case RMS -> ops.rmsNorm(x, weight, ns.eps(), ns.weightOffset(), x);
            case LAYER -> ops.layerNorm(x, weight, bias, ns.eps(), x);
        }
    }
}
