package io.tttv2.core.modules.mlp;

import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.ShapeChecks;

/**
 * The gated feed-forward block {@code down(act(gate(x)) · up(x))} (HF's {@code LlamaMLP}: SwiGLU with
 * silu, GeGLU with gelu_pytorch_tanh for Gemma). Weights {@code gate_proj, up_proj} [intermediate, hidden],
 * {@code down_proj} [hidden, intermediate], with {@code .bias} when the spec says so.
 */
public final class GatedMlp implements Mlp {

    private static final String MODULE = "gated MLP";

    private final MlpSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Activation activation;
    private final Tensor gateProj;      // [I, H]
    private final Tensor upProj;        // [I, H]
    private final Tensor downProj;      // [H, I]
    private final Tensor gateBias;      // [I] F32, or null
    private final Tensor upBias;        // [I] F32, or null
    private final Tensor downBias;      // [H] F32, or null
    private final MlpWorkspace prefillBuffers;      // prefillChunk rows
    private final MlpWorkspace decodeBuffers;       // maxBatch rows
    // fusedProjections: gate and up as one op over both weights (not copied); outputs set per call, one array per workspace
    private final Tensor[] gateUpWeights;           // {gateProj, upProj}
    private final Tensor[] gateUpBiases;            // {gateBias, upBias}, entries null without biases
    private final Tensor[] prefillGateUp = new Tensor[2];
    private final Tensor[] decodeGateUp = new Tensor[2];

    public GatedMlp(MlpSpec spec, ModuleConfig config, Weights weights, Device device) {
        if (!spec.gated()) {
            throw new IllegalArgumentException(GatedMlpFactory.NAME + " builds gated MLPs, found a plain MLP spec");
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.activation = spec.activation();
        int h = spec.hidden();
        int i = spec.intermediate();
        this.gateProj = ModuleWeights.matrix(weights, "gate_proj.weight", MODULE, i, h);
        this.upProj = ModuleWeights.matrix(weights, "up_proj.weight", MODULE, i, h);
        this.downProj = ModuleWeights.matrix(weights, "down_proj.weight", MODULE, h, i);
        this.gateBias = ModuleWeights.optionalVectorF32(spec.bias(), weights, "gate_proj.bias", MODULE, i, ops);
        this.upBias = ModuleWeights.optionalVectorF32(spec.bias(), weights, "up_proj.bias", MODULE, i, ops);
        this.downBias = ModuleWeights.optionalVectorF32(spec.bias(), weights, "down_proj.bias", MODULE, h, ops);
        this.gateUpWeights = new Tensor[] {gateProj, upProj};
        this.gateUpBiases = new Tensor[] {gateBias, upBias};
        this.prefillBuffers = MlpWorkspace.gated(config.prefillChunk(), i);
        this.decodeBuffers = MlpWorkspace.gated(config.maxBatch(), i);
    }

    @Override
    public void prefill(Tensor x, Tensor out) {
        ShapeChecks.rows(MODULE, "prefill input", x, spec.hidden());
        int t = x.dim(0);
        ShapeChecks.sameRows(MODULE, "prefill output", out, t, spec.hidden());
        int chunk = config.prefillChunk();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            forward(x.slice(0, s, n), prefillBuffers, n, out.slice(0, s, n));
        }
    }

    @Override
    public void decode(Tensor x, Tensor out) {
        ShapeChecks.rows(MODULE, "decode input", x, spec.hidden(), config.maxBatch());
        int b = x.dim(0);
        ShapeChecks.sameRows(MODULE, "decode output", out, b, spec.hidden());
        forward(x, decodeBuffers, b, out);
    }

    /** x [n, H] → out [n, H] through the workspace's first n rows. */
    private void forward(Tensor x, MlpWorkspace w, int n, Tensor out) {
        Tensor gate = w.gate().rows(n);     // [n, I]
        Tensor up = w.up().rows(n);         // [n, I]
        if (config.fusedProjections()) {
            Tensor[] gateUp = w == decodeBuffers ? decodeGateUp : prefillGateUp;
            gateUp[0] = gate;
            gateUp[1] = up;
            ops.matmulGroup(x, gateUpWeights, gateUpBiases, gateUp, config.matmulSplit());
        } else {
            ops.matmul(x, gateProj, gateBias, gate, config.matmulSplit());
            ops.matmul(x, upProj, upBias, up, config.matmulSplit());
        }
        ops.gatedActivation(activation, gate, up, gate);
        ops.matmul(gate, downProj, downBias, out, config.matmulSplit());
    }

    @Override
    public String candidate() {
        return GatedMlpFactory.NAME;
    }

    @Override
    public MlpSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
