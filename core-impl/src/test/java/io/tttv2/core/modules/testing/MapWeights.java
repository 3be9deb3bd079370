package io.tttv2.core.modules.testing;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import java.util.Map;
import java.util.function.Function;

/** Weights over a lookup by full name (a map, or a safetensors file), scoped by a prefix. */
public final class MapWeights implements Weights {

    private final Function<String, Tensor> lookup;       // full name → tensor or null
    private final String source;
    private final String prefix;                         // "" or "a.b."

    private MapWeights(Function<String, Tensor> lookup, String source, String prefix) {
        this.lookup = lookup;
        this.source = source;
        this.prefix = prefix;
    }

    public static MapWeights of(Map<String, Tensor> tensors) {
        return new MapWeights(tensors::get, "test weights", "");
    }

    public static MapWeights of(SafetensorsFile file) {
        return new MapWeights(name -> file.contains(name) ? file.get(name) : null, file.path().toString(), "");
    }

    @Override
    public Tensor get(String name) {
        Tensor t = lookup.apply(prefix + name);
        if (t == null) {
            throw new IllegalArgumentException(source + ": no tensor '" + prefix + name + "'");
        }
        return t;
    }

    @Override
    public boolean contains(String name) {
        return lookup.apply(prefix + name) != null;
    }

    @Override
    public Weights scoped(String scope) {
        return new MapWeights(lookup, source, prefix + scope + ".");
    }
}
