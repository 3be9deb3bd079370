package io.tttv2.core.modules.testing;

import io.tttv2.api.modules.Weights;
import io.tttv2.api.tensor.Tensor;
import java.util.Map;

/**
 * A module's weights under the library's names ({@code q_proj.weight}) read from a checkpoint's names
 * ({@code attention.self.query.weight}): a test's stand-in for a model bundle's weight mapping. A module
 * prefix renames everything under it ({@code q_proj} → {@code attention.self.query} covers weight and bias).
 */
public final class RenamedWeights implements Weights {

    private final Weights checkpoint;
    private final Map<String, String> modules;        // library module name → checkpoint module name

    public RenamedWeights(Weights checkpoint, Map<String, String> modules) {
        this.checkpoint = checkpoint;
        this.modules = modules;
    }

    private String rename(String name) {
        int dot = name.lastIndexOf('.');
        String module = dot < 0 ? "" : name.substring(0, dot);
        String renamed = modules.get(module);
        return renamed == null ? name : renamed + name.substring(dot);
    }

    @Override
    public Tensor get(String name) {
        return checkpoint.get(rename(name));
    }

    @Override
    public boolean contains(String name) {
        return checkpoint.contains(rename(name));
    }

    @Override
    public Weights scoped(String prefix) {
        return checkpoint.scoped(modules.getOrDefault(prefix, prefix));
    }
}
