package io.tttv2.contrib.flashattention;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/** Weights held in a map by full name, for tests. */
record MapWeights(Map<String, Tensor> tensors, String prefix) implements Weights {

    MapWeights(Map<String, Tensor> tensors) {
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
    public Weights scoped(String p) {
        return new MapWeights(new HashMap<>(tensors), prefix + p + ".");
    }
}
