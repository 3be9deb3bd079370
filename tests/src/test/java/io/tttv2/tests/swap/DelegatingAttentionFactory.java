package io.tttv2.tests.swap;

import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.ModuleFactories.AttentionFactory;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;

/** Builds {@link DelegatingAttention}s over the core factory's modules. */
public final class DelegatingAttentionFactory implements AttentionFactory {

    private final AttentionFactory core;
    private final String candidate;

    DelegatingAttentionFactory(AttentionFactory core, String candidate) {
        this.core = core;
        this.candidate = candidate;
    }

    @Override
    public Attention create(AttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary,
                            io.tttv2.api.modules.AttentionBackend backend, int layer,
                            Device device) {
        return new DelegatingAttention(core.create(spec, config, weights, rotary, backend, layer, device), candidate);
    }
}
