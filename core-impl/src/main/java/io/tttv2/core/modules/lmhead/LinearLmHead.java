package io.tttv2.core.modules.lmhead;

import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.ShapeChecks;

/**
 * The LM head: {@code logits = x · weightᵀ}, weight [vocab, hidden] (the embedding table when tied), then
 * Gemma 2's final soft-cap {@code cap · tanh(logits / cap)} when the spec has one (bound here). Writes the
 * caller's logits directly, so it keeps no workspace.
 */
public final class LinearLmHead implements LmHead {

    private static final String MODULE = "lm head";

    private final LmHeadSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Tensor weight;        // [V, H]
    private final boolean capped;

    public LinearLmHead(LmHeadSpec spec, ModuleConfig config, Weights weights, Device device) {
        if (spec.hidden() <= 0 || spec.vocab() <= 0 || !(spec.softcap() >= 0)) {
            throw new IllegalArgumentException("lm head needs hidden > 0, vocab > 0 and softcap >= 0, found "
                    + spec.hidden() + ", " + spec.vocab() + ", " + spec.softcap());
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.weight = ModuleWeights.matrix(weights, "weight", MODULE, spec.vocab(), spec.hidden());
        this.capped = spec.softcap() > 0;
    }

    @Override
    public void prefill(Tensor x, Tensor out) {
        ShapeChecks.rows(MODULE, "prefill input", x, spec.hidden());
        project(x, out);
    }

    @Override
    public void decode(Tensor x, Tensor out) {
        ShapeChecks.rows(MODULE, "decode input", x, spec.hidden(), config.maxBatch());
        project(x, out);
    }

    /** x [n, H] → out [n, V]. */
    private void project(Tensor x, Tensor out) {
        ShapeChecks.sameRows(MODULE, "logits", out, x.dim(0), spec.vocab());
        ops.matmul(x, weight, null, out, config.matmulSplit());
        if (capped) {
            ops.softcap(out, spec.softcap(), out);
        }
    }

    @Override
    public String candidate() {
        return LinearLmHeadFactory.NAME;
    }

    @Override
    public LmHeadSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
