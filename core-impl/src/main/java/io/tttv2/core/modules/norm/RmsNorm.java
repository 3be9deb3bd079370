package io.tttv2.core.modules.norm;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.ShapeChecks;

/**
 * RMSNorm (HF {@code LlamaRMSNorm}): {@code x / sqrt(mean(x²) + eps) · (offset + w)}, with offset 1 for
 * Gemma's {@code (1 + w)}. Weight {@code weight} [dim]. Needs no workspace: the op writes {@code out} directly.
 */
public final class RmsNorm implements Norm {

    private final NormSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Tensor weight;    // [dim] F32

    public RmsNorm(NormSpec spec, ModuleConfig config, Weights weights, Device device) {
        if (spec.kind() != NormSpec.NormKind.RMS) {
            throw new IllegalArgumentException(RmsNormFactory.NAME + " builds RMS norms, found kind " + spec.kind());
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.weight = ModuleWeights.vectorF32(weights, "weight", "RMSNorm", spec.dim(), ops);
    }

    @Override
    public void prefill(Tensor x, Tensor out) {
        ShapeChecks.rows("RMSNorm", "input", x, spec.dim());
        ops.rmsNorm(x, weight, spec.eps(), spec.weightOffset(), out);
    }

    @Override
    public void decode(Tensor x, Tensor out) {
        ShapeChecks.rows("RMSNorm", "input", x, spec.dim());
        ops.rmsNorm(x, weight, spec.eps(), spec.weightOffset(), out);
    }

    @Override
    public String candidate() {
        return RmsNormFactory.NAME;
    }

    @Override
    public NormSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
