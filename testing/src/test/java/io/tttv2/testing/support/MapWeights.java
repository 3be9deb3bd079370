package io.tttv2.testing.support;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import java.util.Map;

/** Weights held in a map by their full names ({@code model.layers.0.mlp.up_proj.weight}). */
public record MapWeights(Map<String, Tensor> tensors, String prefix) implements Weights {

    public MapWeights(Map<String, Tensor> tensors) {
        this(tensors, "");
    }

    @Override
    public Tensor get(String name) {
        Tensor t = tensors.get(prefix + name);
        if (t == null) {
            throw new IllegalArgumentException("test weights: no tensor '" + prefix + name + "'");
        }
        return t;
    }

    @Override
    public boolean contains(String name) {
        return tensors.containsKey(prefix + name);
    }

    @Override
    public Weights scoped(String scope) {
        return new MapWeights(tensors, prefix + scope + ".");
    }
}
