package io.tttv2.core.modules.encoder;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.EncoderAttention;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.PaddingMask;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * Self-attention over a padded batch in one call, without a KV cache (HF's {@code BertSelfAttention} with
 * {@code BertSelfOutput.dense}; T5's encoder {@code T5Attention}, unscaled, its relative-position bias passed
 * in): q/k/v projections (biases optional), the op library's dense attention with the padding mask and the
 * optional bias, o_proj. An encoder runs once per request, so its buffers are allocated per call (a shared
 * arena, as the op library's workers write them; freed on return) rather than held for the largest batch.
 */
public final class BatchEncoderAttention implements EncoderAttention {

    private static final String MODULE = "encoder attention";

    private final EncoderAttentionSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final AttentionParams params;
    private final Tensor qProj;         // [heads · D, hidden]
    private final Tensor kProj;         // [kvHeads · D, hidden]
    private final Tensor vProj;         // [kvHeads · D, hidden]
    private final Tensor oProj;         // [hidden, heads · D]
    private final Tensor qBias;         // [heads · D] F32, or null
    private final Tensor kBias;         // [kvHeads · D] F32, or null
    private final Tensor vBias;         // [kvHeads · D] F32, or null
    private final Tensor oBias;         // [hidden] F32, or null

    public BatchEncoderAttention(EncoderAttentionSpec spec, ModuleConfig config, Weights weights, Device device) {
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        AttentionSpec a = spec.attention();
        this.params = new AttentionParams(a.scaling(), spec.causal(), a.slidingWindow(), a.softcap());
        int h = a.hidden();
        int qDim = a.heads() * a.headDim();
        int kvDim = a.kvHeads() * a.headDim();
        this.qProj = ModuleWeights.matrix(weights, "q_proj.weight", MODULE, qDim, h);
        this.kProj = ModuleWeights.matrix(weights, "k_proj.weight", MODULE, kvDim, h);
        this.vProj = ModuleWeights.matrix(weights, "v_proj.weight", MODULE, kvDim, h);
        this.oProj = ModuleWeights.matrix(weights, "o_proj.weight", MODULE, h, qDim);
        this.qBias = ModuleWeights.optionalVectorF32(a.qkvBias(), weights, "q_proj.bias", MODULE, qDim, ops);
        this.kBias = ModuleWeights.optionalVectorF32(a.qkvBias(), weights, "k_proj.bias", MODULE, kvDim, ops);
        this.vBias = ModuleWeights.optionalVectorF32(a.qkvBias(), weights, "v_proj.bias", MODULE, kvDim, ops);
        this.oBias = ModuleWeights.optionalVectorF32(a.outputBias(), weights, "o_proj.bias", MODULE, h, ops);
    }

    @Override
    public void forward(Tensor x, PaddingMask mask, Tensor bias, Tensor out) {
        AttentionSpec a = spec.attention();
        EncoderShapes.batch(MODULE, "input", x, a.hidden());
        int b = x.dim(0);
        int t = x.dim(1);
        EncoderShapes.same(MODULE, "output", out, x);
        EncoderShapes.mask(MODULE, mask, b, t);
        if (bias != null && (bias.rank() != 3 || bias.dim(0) != a.heads() || bias.dim(1) != t || bias.dim(2) != t)) {
            throw new IllegalArgumentException(MODULE + ": bias has shape " + Arrays.toString(bias.shape())
                    + ", expected [" + a.heads() + ", " + t + ", " + t + "]");
        }
        int rows = b * t;
        int d = a.headDim();
        try (Arena arena = Arena.ofShared()) {
            Tensor q = Tensor.allocate(arena, DType.F32, rows, a.heads() * d);       // [B·T, heads · D]
            Tensor k = Tensor.allocate(arena, DType.F32, rows, a.kvHeads() * d);     // [B·T, kvHeads · D]
            Tensor v = Tensor.allocate(arena, DType.F32, rows, a.kvHeads() * d);     // [B·T, kvHeads · D]
            Tensor context = Tensor.allocate(arena, DType.F32, rows, a.heads() * d); // [B·T, heads · D]
            Tensor x2 = x.reshape(rows, a.hidden());                                  // [B·T, hidden]
            ops.matmul(x2, qProj, qBias, q, config.matmulSplit());
            ops.matmul(x2, kProj, kBias, k, config.matmulSplit());
            ops.matmul(x2, vProj, vBias, v, config.matmulSplit());
            ops.attention(q.reshape(b, t, a.heads(), d), k.reshape(b, t, a.kvHeads(), d),
                    v.reshape(b, t, a.kvHeads(), d), mask.keep(), bias, params, context.reshape(b, t, a.heads(), d));
            ops.matmul(context, oProj, oBias, out.reshape(rows, a.hidden()), config.matmulSplit());
        }
    }

    @Override
    public String candidate() {
        return BatchEncoderAttentionFactory.NAME;
    }

    @Override
    public EncoderAttentionSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
