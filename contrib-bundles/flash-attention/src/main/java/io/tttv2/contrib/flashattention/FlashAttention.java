package io.tttv2.contrib.flashattention;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;

/**
 * Self-attention of one layer with the attention core computed by {@link FlashKernel} (tiled, online
 * softmax over the KV cache's blocks) instead of the device's {@code attentionPrefill/Decode}. Around it the
 * same steps as HF's {@code LlamaAttention}: q/k/v projections (optional biases), optional q/k norm,
 * rotary, cache write, o_proj — those through the device's ops.
 *
 * <p>Static choices (biases, q/k norm, window, soft-cap, scaling) are bound here. Workspaces hold
 * {@code config.prefillChunk} rows for prefill and {@code config.maxBatch} for decode; longer prompts run
 * in chunks, each writing its keys and values before attending from its own start. One prefill and one
 * decode may run at a time (separate workspaces).
 */
final class FlashAttention implements Attention {

    private final AttentionSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Rotary rotary;
    private final int layer;
    private final FlashKernel kernel;
    private final Tensor qProj;         // [heads · D, hidden]
    private final Tensor kProj;         // [kvHeads · D, hidden]
    private final Tensor vProj;         // [kvHeads · D, hidden]
    private final Tensor oProj;         // [hidden, heads · D]
    private final Tensor qBias;         // [heads · D] F32, or null
    private final Tensor kBias;         // [kvHeads · D] F32, or null
    private final Tensor vBias;         // [kvHeads · D] F32, or null
    private final Tensor oBias;         // [hidden] F32, or null
    private final QkNorm qNorm;
    private final QkNorm kNorm;
    private final Workspace prefillBuffers;     // prefillChunk rows
    private final Workspace decodeBuffers;      // maxBatch rows

    FlashAttention(AttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary, int layer, Device device) {
        if (layer < 0) {
            throw new IllegalArgumentException("flash attention: KV cache layer must be >= 0, found " + layer);
        }
        if (rotary == null) {
            throw new IllegalArgumentException("flash attention: a rotary embedding is required, found none");
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.rotary = rotary;
        this.layer = layer;
        this.kernel = new FlashKernel(spec.heads(), spec.kvHeads(), spec.headDim(),
                new AttentionParams(spec.scaling(), true, spec.slidingWindow(), spec.softcap()));
        int h = spec.hidden();
        int qDim = spec.heads() * spec.headDim();
        int kvDim = spec.kvHeads() * spec.headDim();
        this.qProj = ProjectionWeights.matrix(weights, "q_proj.weight", qDim, h);
        this.kProj = ProjectionWeights.matrix(weights, "k_proj.weight", kvDim, h);
        this.vProj = ProjectionWeights.matrix(weights, "v_proj.weight", kvDim, h);
        this.oProj = ProjectionWeights.matrix(weights, "o_proj.weight", h, qDim);
        this.qBias = ProjectionWeights.optionalVectorF32(spec.qkvBias(), weights, "q_proj.bias", qDim, ops);
        this.kBias = ProjectionWeights.optionalVectorF32(spec.qkvBias(), weights, "k_proj.bias", kvDim, ops);
        this.vBias = ProjectionWeights.optionalVectorF32(spec.qkvBias(), weights, "v_proj.bias", kvDim, ops);
        this.oBias = ProjectionWeights.optionalVectorF32(spec.outputBias(), weights, "o_proj.bias", h, ops);
        this.qNorm = QkNorm.of(spec, spec.heads(), weights.scoped("q_norm"), ops);
        this.kNorm = QkNorm.of(spec, spec.kvHeads(), weights.scoped("k_norm"), ops);
        this.prefillBuffers = new Workspace(config.prefillChunk(), spec);
        this.decodeBuffers = new Workspace(config.maxBatch(), spec);
    }

    @Override
    public int layer() {
        return layer;
    }

    @Override
    public void prefill(Tensor x, PrefillStep step, Tensor out) {
        int t = checkRows("prefill", x, out, Integer.MAX_VALUE);
        int chunk = config.prefillChunk();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            prefillChunk(x.slice(0, s, n), step.cache(), step.table(), step.start() + s, out.slice(0, s, n));
        }
    }

    /** n ≤ prefillChunk tokens at positions start .. start+n-1: x, out [n, hidden]. */
    private void prefillChunk(Tensor x, PagedKvCache cache, BlockTable table, int start, Tensor out) {
        int n = x.dim(0);
        Workspace w = prefillBuffers;
        project(x, w, n);
        Tensor q = w.heads(w.q(), n, spec.heads());         // [n, heads, D]
        Tensor k = w.heads(w.k(), n, spec.kvHeads());       // [n, kvHeads, D]
        rotary.prefill(q, start, q);
        rotary.prefill(k, start, k);
        ops.writeKv(cache, layer, table, start, k, w.heads(w.v(), n, spec.kvHeads()));
        kernel.prefill(q, cache, layer, table, start, w.heads(w.context(), n, spec.heads()));
        ops.matmul(w.context().slice(0, 0, n), oProj, oBias, out);
    }

    @Override
    public void decode(Tensor x, DecodeStep step, Tensor out) {
        int b = checkRows("decode", x, out, config.maxBatch());
        if (step.batch() != b || step.tables().length != b) {
            throw new IllegalArgumentException("flash attention: decode of " + b + " rows got " + step.batch()
                    + " positions and " + step.tables().length + " block tables");
        }
        Workspace w = decodeBuffers;
        project(x, w, b);
        Tensor q = w.heads(w.q(), b, spec.heads());         // [B, heads, D]
        Tensor k = w.heads(w.k(), b, spec.kvHeads());       // [B, kvHeads, D]
        Tensor v = w.heads(w.v(), b, spec.kvHeads());
        int[] positions = step.positions();
        rotary.decode(q, positions, q);
        rotary.decode(k, positions, k);
        for (int i = 0; i < b; i++) {
            ops.writeKv(step.cache(), layer, step.tables()[i], positions[i], k.slice(0, i, 1), v.slice(0, i, 1));
        }
        kernel.decode(q, step.cache(), layer, step.tables(), positions, w.heads(w.context(), b, spec.heads()));
        ops.matmul(w.context().slice(0, 0, b), oProj, oBias, out);
    }

    /** q, k, v (normed) of the n rows of x [n, hidden] into the workspace. */
    private void project(Tensor x, Workspace w, int n) {
        ops.matmul(x, qProj, qBias, w.q().slice(0, 0, n));
        ops.matmul(x, kProj, kBias, w.k().slice(0, 0, n));
        ops.matmul(x, vProj, vBias, w.v().slice(0, 0, n));
        qNorm.apply(w.q().slice(0, 0, n));
        kNorm.apply(w.k().slice(0, 0, n));
    }

    /** The row count of x and out, both [rows, hidden] with 1 ≤ rows ≤ max; throws naming what differs. */
    private int checkRows(String what, Tensor x, Tensor out, int max) {
        int hidden = spec.hidden();
        if (x.rank() != 2 || x.dim(1) != hidden || x.dim(0) < 1 || x.dim(0) > max) {
            throw new IllegalArgumentException("flash attention: " + what + " input is " + x + ", expected [rows, "
                    + hidden + "] with 1 ≤ rows ≤ " + max);
        }
        if (out.rank() != 2 || out.dim(0) != x.dim(0) || out.dim(1) != hidden) {
            throw new IllegalArgumentException("flash attention: " + what + " output is " + out + ", expected ["
                    + x.dim(0) + ", " + hidden + "]");
        }
        return x.dim(0);
    }

    @Override
    public String candidate() {
        return FlashAttentionFactory.NAME;
    }

    @Override
    public AttentionSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
