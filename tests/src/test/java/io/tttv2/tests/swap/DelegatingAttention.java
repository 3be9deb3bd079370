package io.tttv2.tests.swap;

import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.tensor.Tensor;

/**
 * An attention module of the swap bundle: an object of the bundle's own class (so a runner still holding
 * one keeps the bundle's class loader alive) computing with the core module.
 */
public final class DelegatingAttention implements Attention {

    private final Attention core;
    private final String candidate;    // "name version"

    DelegatingAttention(Attention core, String candidate) {
        this.core = core;
        this.candidate = candidate;
    }

    @Override
    public String candidate() {
        return candidate;
    }

    @Override
    public Record spec() {
        return core.spec();
    }

    @Override
    public Record config() {
        return core.config();
    }

    @Override
    public int layer() {
        return core.layer();
    }

    @Override
    public void prefill(Tensor x, PrefillStep step, Tensor out) {
        core.prefill(x, step, out);
    }

    @Override
    public void decode(Tensor x, DecodeStep step, Tensor out) {
        core.decode(x, step, out);
    }
}
