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
 * LayerNorm (HF {@code nn.LayerNorm}): mean-centred, {@code (x - mean) / sqrt(var + eps) · w + b}. Weights
 * {@code weight} [dim] and, when the spec says so, {@code bias} [dim].
 */
public final class LayerNorm implements Norm {

    private final NormSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Tensor weight;    // [dim] F32
    private final Tensor bias;      // [dim] F32, or null

    public LayerNorm(NormSpec spec, ModuleConfig config, Weights weights, Device device) {
        if (spec.kind() != NormSpec.NormKind.LAYER) {
            throw new IllegalArgumentException(LayerNormFactory.NAME + " builds layer norms, found kind " + spec.kind());
        }
        if (spec.weightOffset() != 0f) {
            throw new IllegalArgumentException("LayerNorm: weight offset " + spec.weightOffset()
                    + " is not supported, expected 0");
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.weight = ModuleWeights.vectorF32(weights, "weight", "LayerNorm", spec.dim(), ops);
        this.bias = ModuleWeights.optionalVectorF32(spec.bias(), weights, "bias", "LayerNorm", spec.dim(), ops);
    }

    @Override
    public void prefill(Tensor x, Tensor out) {
        ShapeChecks.rows("LayerNorm", "input", x, spec.dim());
        ops.layerNorm(x, weight, bias, spec.eps(), out);
    }

    @Override
    public void decode(Tensor x, Tensor out) {
        ShapeChecks.rows("LayerNorm", "input", x, spec.dim());
        ops.layerNorm(x, weight, bias, spec.eps(), out);
    }

    @Override
    public String candidate() {
        return LayerNormFactory.NAME;
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
