package io.tttv2.core.modules.cross;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.CrossAttention;
import io.tttv2.api.modules.CrossAttentionSpec;
import io.tttv2.api.modules.EncoderMemory;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.RowBuffer;
import io.tttv2.core.modules.ShapeChecks;
import java.lang.foreign.Arena;
import java.util.Arrays;

/**
 * Cross-attention (HF's T5 {@code EncDecAttention}, unscaled there; BART's {@code encoder_attn}): {@link
 * #prepare} projects a request's encoder states to keys and values once (GC-managed memory the request
 * holds); prefill and decode project the decoder's queries, attend over the request's real encoder tokens with
 * the op library's dense attention, and apply o_proj. Query and context buffers hold {@code
 * config.prefillChunk} rows for prefill (longer prefills run in chunks) and {@code config.maxBatch} for decode.
 */
public final class SdpaCrossAttention implements CrossAttention {

    private static final String MODULE = "cross-attention";

    private final CrossAttentionSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final AttentionParams params;
    private final Tensor qProj;         // [heads · D, hidden]
    private final Tensor kProj;         // [kvHeads · D, encoderHidden]
    private final Tensor vProj;         // [kvHeads · D, encoderHidden]
    private final Tensor oProj;         // [hidden, heads · D]
    private final Tensor qBias;         // [heads · D] F32, or null
    private final Tensor kBias;         // [kvHeads · D] F32, or null
    private final Tensor vBias;         // [kvHeads · D] F32, or null
    private final Tensor oBias;         // [hidden] F32, or null
    private final RowBuffer prefillQ;           // [prefillChunk, heads · D]
    private final RowBuffer prefillContext;     // [prefillChunk, heads · D]
    private final RowBuffer decodeQ;            // [maxBatch, heads · D]
    private final RowBuffer decodeContext;      // [maxBatch, heads · D]

    public SdpaCrossAttention(CrossAttentionSpec spec, ModuleConfig config, Weights weights, Device device) {
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        AttentionSpec a = spec.attention();
        this.params = new AttentionParams(a.scaling(), false, 0, a.softcap());
        int h = a.hidden();
        int e = spec.encoderHidden();
        int qDim = a.heads() * a.headDim();
        int kvDim = a.kvHeads() * a.headDim();
        this.qProj = ModuleWeights.matrix(weights, "q_proj.weight", MODULE, qDim, h);
        this.kProj = ModuleWeights.matrix(weights, "k_proj.weight", MODULE, kvDim, e);
        this.vProj = ModuleWeights.matrix(weights, "v_proj.weight", MODULE, kvDim, e);
        this.oProj = ModuleWeights.matrix(weights, "o_proj.weight", MODULE, h, qDim);
        this.qBias = ModuleWeights.optionalVectorF32(a.qkvBias(), weights, "q_proj.bias", MODULE, qDim, ops);
        this.kBias = ModuleWeights.optionalVectorF32(a.qkvBias(), weights, "k_proj.bias", MODULE, kvDim, ops);
        this.vBias = ModuleWeights.optionalVectorF32(a.qkvBias(), weights, "v_proj.bias", MODULE, kvDim, ops);
        this.oBias = ModuleWeights.optionalVectorF32(a.outputBias(), weights, "o_proj.bias", MODULE, h, ops);
        this.prefillQ = new RowBuffer(config.prefillChunk(), a.heads(), a.headDim());
        this.prefillContext = new RowBuffer(config.prefillChunk(), a.heads(), a.headDim());
        this.decodeQ = new RowBuffer(config.maxBatch(), a.heads(), a.headDim());
        this.decodeContext = new RowBuffer(config.maxBatch(), a.heads(), a.headDim());
    }

    @Override
    public EncoderMemory prepare(Tensor encoderStates, boolean[] keep) {
        AttentionSpec a = spec.attention();
        ShapeChecks.rows(MODULE, "encoder states", encoderStates, spec.encoderHidden());
        int s = encoderStates.dim(0);
        if (keep != null && keep.length != s) {
            throw new IllegalArgumentException(MODULE + ": " + keep.length + " mask flags for " + s + " encoder tokens");
        }
        boolean[] flags = keep == null ? new boolean[s] : keep.clone();
        if (keep == null) {
            Arrays.fill(flags, true);
        }
        int kvDim = a.kvHeads() * a.headDim();
        Tensor k = Tensor.allocate(Arena.ofAuto(), DType.F32, s, kvDim);        // [S, kvHeads · D]
        Tensor v = Tensor.allocate(Arena.ofAuto(), DType.F32, s, kvDim);        // [S, kvHeads · D]
        ops.matmul(encoderStates, kProj, kBias, k, config.matmulSplit());
        ops.matmul(encoderStates, vProj, vBias, v, config.matmulSplit());
        return new EncoderMemory(k.reshape(s, a.kvHeads(), a.headDim()), v.reshape(s, a.kvHeads(), a.headDim()), flags);
    }

    @Override
    public void prefill(Tensor x, EncoderMemory memory, Tensor out) {
        AttentionSpec a = spec.attention();
        ShapeChecks.rows(MODULE, "prefill input", x, a.hidden());
        int t = x.dim(0);
        ShapeChecks.sameRows(MODULE, "prefill output", out, t, a.hidden());
        requireMemory(memory);
        int chunk = config.prefillChunk();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            attend(x.slice(0, s, n), memory, n, out.slice(0, s, n));
        }
    }

    @Override
    public void decode(Tensor x, EncoderMemory[] memories, Tensor out) {
        AttentionSpec a = spec.attention();
        ShapeChecks.rows(MODULE, "decode input", x, a.hidden(), config.maxBatch());
        int b = x.dim(0);
        ShapeChecks.sameRows(MODULE, "decode output", out, b, a.hidden());
        if (memories.length != b) {
            throw new IllegalArgumentException(MODULE + ": decode of " + b + " rows got " + memories.length + " memories");
        }
        ops.matmul(x, qProj, qBias, decodeQ.rows(b), config.matmulSplit());
        for (int i = 0; i < b; i++) {
            requireMemory(memories[i]);
            context(memories[i], decodeQ.row(i), decodeContext.row(i));
        }
        ops.matmul(decodeContext.rows(b), oProj, oBias, out, config.matmulSplit());
    }

    /** n rows of x [n, hidden] of one sequence against memory, into out [n, hidden]. */
    private void attend(Tensor x, EncoderMemory memory, int n, Tensor out) {
        ops.matmul(x, qProj, qBias, prefillQ.rows(n), config.matmulSplit());
        context(memory, prefillQ.split(n), prefillContext.split(n));
        ops.matmul(prefillContext.rows(n), oProj, oBias, out, config.matmulSplit());
    }

    /** q, context [n, heads, D] of one sequence over its memory. */
    private void context(EncoderMemory memory, Tensor q, Tensor context) {
        int n = q.dim(0);
        int s = memory.length();
        AttentionSpec a = spec.attention();
        ops.attention(q.reshape(1, n, a.heads(), a.headDim()), memory.keys().reshape(1, s, a.kvHeads(), a.headDim()),
                memory.values().reshape(1, s, a.kvHeads(), a.headDim()), memory.keep(), null, params,
                context.reshape(1, n, a.heads(), a.headDim()));
    }

    private void requireMemory(EncoderMemory memory) {
        AttentionSpec a = spec.attention();
        if (memory == null || memory.keys().dim(1) != a.kvHeads() || memory.keys().dim(2) != a.headDim()) {
            throw new IllegalArgumentException(MODULE + ": encoder memory " + (memory == null ? "is missing"
                    : "holds keys " + memory.keys()) + ", expected [S, " + a.kvHeads() + ", " + a.headDim()
                    + "] from this module's prepare");
        }
    }

    @Override
    public String candidate() {
        return SdpaCrossAttentionFactory.NAME;
    }

    @Override
    public CrossAttentionSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
