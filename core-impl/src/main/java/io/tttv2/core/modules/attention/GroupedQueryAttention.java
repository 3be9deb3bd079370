package io.tttv2.core.modules.attention;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.ShapeChecks;
import io.tttv2.core.modules.norm.Norms;

/**
 * Scaled dot-product self-attention with grouped keys and values over a paged KV cache (HF's
 * {@code LlamaAttention} and its relatives): q/k/v projections (optional biases, Qwen2), optional q/k norm
 * (per head: Qwen3, Gemma 3; over the projection: OLMo 2), rotary (none for GPT-2, whose positions are
 * learned and added to the embedding), cache write, causal attention by an {@link AttentionBackend} (which
 * holds the scaling, the optional sliding window: Mistral, and the optional logit soft-cap: Gemma 2), o_proj.
 *
 * <p>Everything static (biases, q/k norm, rotary or not, the backend) is bound at construction. Decode
 * buffers hold {@code config.maxBatch} rows and prefill buffers {@code config.prefillChunk} rows, both
 * allocated here; a longer prefill runs in chunks, each writing its keys and values before attending
 * from its own start position.
 */
public final class GroupedQueryAttention implements Attention {

    private static final String MODULE = "attention";

    private final AttentionSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Rotary rotary;       // null: no rotary positions
    private final AttentionBackend backend;
    private final int layer;
    private final Tensor qProj;         // [heads · D, hidden]
    private final Tensor kProj;         // [kvHeads · D, hidden]
    private final Tensor vProj;         // [kvHeads · D, hidden]
    private final Tensor oProj;         // [hidden, heads · D]
    private final Tensor qBias;         // [heads · D] F32, or null
    private final Tensor kBias;         // [kvHeads · D] F32, or null
    private final Tensor vBias;         // [kvHeads · D] F32, or null
    private final Tensor oBias;         // [hidden] F32, or null
    private final HeadNorm qNorm;
    private final HeadNorm kNorm;
    private final AttentionWorkspace prefillBuffers;    // prefillChunk rows
    private final AttentionWorkspace decodeBuffers;     // maxBatch rows
    // fusedProjections: q/k/v as one op over the three weights (not copied); outputs set per call, one array per workspace
    private final Tensor[] qkvWeights;  // {qProj, kProj, vProj}
    private final Tensor[] qkvBiases;   // {qBias, kBias, vBias}, entries null without biases
    private final Tensor[] prefillQkv = new Tensor[3];
    private final Tensor[] decodeQkv = new Tensor[3];

    /** rotary: null for attention without rotary positions (GPT-2). */
    public GroupedQueryAttention(AttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary,
                                 AttentionBackend backend, int layer, Device device) {
        if (layer < 0) {
            throw new IllegalArgumentException("attention: KV cache layer must be >= 0, found " + layer);
        }
        if (backend == null) {
            throw new IllegalArgumentException("attention: an attention backend is required, found none");
        }
        if (backend.spec() instanceof AttentionBackendSpec b
                && (b.heads() != spec.heads() || b.kvHeads() != spec.kvHeads() || b.headDim() != spec.headDim())) {
            throw new IllegalArgumentException("attention: backend " + backend.candidate() + " computes " + b.heads()
                    + " heads over " + b.kvHeads() + " kv heads of dim " + b.headDim() + ", expected " + spec.heads()
                    + " over " + spec.kvHeads() + " of dim " + spec.headDim());
        }
        // the spec's scaling, window and soft-cap are computed by the backend: they must be the ones it holds
        if (backend.spec() instanceof AttentionBackendSpec b
                && !b.params().equals(AttentionBackendSpec.causal(spec).params())) {
            throw new IllegalArgumentException("attention: backend " + backend.candidate() + " computes with "
                    + b.params() + ", expected " + AttentionBackendSpec.causal(spec).params() + " from the attention spec");
        }
        if (rotary != null && ShapeChecks.rotatedElements(rotary) > spec.headDim()) {
            throw new IllegalArgumentException("attention: rotary rotates " + ShapeChecks.rotatedElements(rotary)
                    + " elements per head, expected at most head dim " + spec.headDim());
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.rotary = rotary;
        this.backend = backend;
        this.layer = layer;
        int h = spec.hidden();
        int qDim = spec.heads() * spec.headDim();
        int kvDim = spec.kvHeads() * spec.headDim();
        this.qProj = ModuleWeights.matrix(weights, "q_proj.weight", MODULE, qDim, h);
        this.kProj = ModuleWeights.matrix(weights, "k_proj.weight", MODULE, kvDim, h);
        this.vProj = ModuleWeights.matrix(weights, "v_proj.weight", MODULE, kvDim, h);
        this.oProj = ModuleWeights.matrix(weights, "o_proj.weight", MODULE, h, qDim);
        this.qBias = ModuleWeights.optionalVectorF32(spec.qkvBias(), weights, "q_proj.bias", MODULE, qDim, ops);
        this.kBias = ModuleWeights.optionalVectorF32(spec.qkvBias(), weights, "k_proj.bias", MODULE, kvDim, ops);
        this.vBias = ModuleWeights.optionalVectorF32(spec.qkvBias(), weights, "v_proj.bias", MODULE, kvDim, ops);
        this.oBias = ModuleWeights.optionalVectorF32(spec.outputBias(), weights, "o_proj.bias", MODULE, h, ops);
        this.qNorm = headNorm(spec, spec.heads(), weights.scoped("q_norm"), device);
        this.kNorm = headNorm(spec, spec.kvHeads(), weights.scoped("k_norm"), device);
        this.qkvWeights = new Tensor[] {qProj, kProj, vProj};
        this.qkvBiases = new Tensor[] {qBias, kBias, vBias};
        this.prefillBuffers = AttentionWorkspace.of(config.prefillChunk(), spec);
        this.decodeBuffers = AttentionWorkspace.of(config.maxBatch(), spec);
    }

    /** The q or k norm for {@code heads} heads: the spec's norm, over headDim or over heads · headDim. */
    private static HeadNorm headNorm(AttentionSpec spec, int heads, Weights weights, Device device) {
        NormSpec ns = spec.qkNormSpec();
        return switch (spec.qkNorm()) {
            case NONE -> HeadNorm.NONE;
            case PER_HEAD -> {
                requireNormDim(ns, spec.headDim(), "PER_HEAD (head dim)");
                yield new PerHeadNorm(Norms.create(ns, weights, device));
            }
            case FULL -> {
                requireNormDim(ns, spec.heads() * spec.headDim(), "FULL (heads x head dim)");
                // k_norm spans kvHeads · headDim (OLMo 2: k_norm.weight [kvHeads · headDim])
                NormSpec sized = new NormSpec(heads * spec.headDim(), ns.kind(), ns.eps(), ns.weightOffset(), ns.bias());
                yield new FullProjectionNorm(Norms.create(sized, weights, device));
            }
        };
    }

    private static void requireNormDim(NormSpec ns, int expected, String what) {
        if (ns.dim() != expected) {
            throw new IllegalArgumentException("attention: q/k norm spec has dim " + ns.dim() + ", expected "
                    + expected + " for " + what);
        }
    }

    @Override
    public int layer() {
        return layer;
    }

    @Override
    public void prefill(Tensor x, PrefillStep step, Tensor out) {
        ShapeChecks.rows(MODULE, "prefill input", x, spec.hidden());
        int t = x.dim(0);
        ShapeChecks.sameRows(MODULE, "prefill output", out, t, spec.hidden());
        int chunk = config.prefillChunk();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            prefillChunk(x.slice(0, s, n), step.cache(), step.table(), step.start() + s, out.slice(0, s, n));
        }
    }

    /** n ≤ prefillChunk tokens at positions start .. start+n-1: x, out [n, hidden]. */
    private void prefillChunk(Tensor x, PagedKvCache cache, BlockTable table, int start, Tensor out) {
        int n = x.dim(0);
        AttentionWorkspace w = prefillBuffers;
        project(x, w, n);
        qNorm.prefill(w.q(), n);
        kNorm.prefill(w.k(), n);
        Tensor q = w.q().split(n);          // [n, heads, D]
        Tensor k = w.k().split(n);          // [n, kvHeads, D]
        if (rotary != null) {
            rotary.prefill(q, start, q);
            rotary.prefill(k, start, k);
        }
        ops.writeKv(cache, layer, table, start, k, w.v().split(n));
        backend.prefill(q, cache, layer, table, start, w.context().split(n));
        ops.matmul(w.context().rows(n), oProj, oBias, out, config.matmulSplit());
    }

    @Override
    public void decode(Tensor x, DecodeStep step, Tensor out) {
        ShapeChecks.rows(MODULE, "decode input", x, spec.hidden(), config.maxBatch());
        int b = x.dim(0);
        ShapeChecks.sameRows(MODULE, "decode output", out, b, spec.hidden());
        if (step.batch() != b || step.tables().length != b) {
            throw new IllegalArgumentException("attention: decode of " + b + " rows got " + step.batch()
                    + " positions and " + step.tables().length + " block tables");
        }
        AttentionWorkspace w = decodeBuffers;
        project(x, w, b);
        qNorm.decode(w.q(), b);
        kNorm.decode(w.k(), b);
        Tensor q = w.q().split(b);          // [B, heads, D]
        Tensor k = w.k().split(b);          // [B, kvHeads, D]
        int[] positions = step.positions();
        if (rotary != null) {
            rotary.decode(q, positions, q);
            rotary.decode(k, positions, k);
        }
        BlockTable[] tables = step.tables();
        for (int i = 0; i < b; i++) {
            ops.writeKv(step.cache(), layer, tables[i], positions[i], w.k().row(i), w.v().row(i));
        }
        backend.decode(q, step.cache(), layer, tables, positions, w.context().split(b));
        ops.matmul(w.context().rows(b), oProj, oBias, out, config.matmulSplit());
    }

    /**
     * A mixed step: x, out [rows, hidden]. Rows go through in chunks of prefillChunk: each chunk's projections
     * run once over all its rows, each row is rotated at its own position, each sequence's run of rows writes
     * its keys and values, then the backend attends every row over its own sequence.
     */
    @Override
    public void step(Tensor x, MixedStep step, Tensor out) {
        ShapeChecks.rows(MODULE, "step input", x, spec.hidden());
        int t = x.dim(0);
        ShapeChecks.sameRows(MODULE, "step output", out, t, spec.hidden());
        if (step.rows() != t) {
            throw new IllegalArgumentException("attention: step of " + t + " rows got " + step.rows() + " positions");
        }
        int chunk = config.prefillChunk();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            stepChunk(x.slice(0, s, n), t == n ? step : step.rows(s, n), out.slice(0, s, n));
        }
    }

    /** n ≤ prefillChunk rows of a mixed step: x, out [n, hidden]. */
    private void stepChunk(Tensor x, MixedStep step, Tensor out) {
        int n = x.dim(0);
        AttentionWorkspace w = prefillBuffers;
        project(x, w, n);
        qNorm.prefill(w.q(), n);
        kNorm.prefill(w.k(), n);
        Tensor q = w.q().split(n);          // [n, heads, D]
        Tensor k = w.k().split(n);          // [n, kvHeads, D]
        Tensor v = w.v().split(n);          // [n, kvHeads, D]
        int[] positions = step.positions();
        if (rotary != null) {
            rotary.decode(q, positions, q);
            rotary.decode(k, positions, k);
        }
        for (int r = 0; r < n; ) {
            int end = step.runEnd(r);
            ops.writeKv(step.cache(), layer, step.tables()[r], positions[r], k.slice(0, r, end - r), v.slice(0, r, end - r));
            r = end;
        }
        backend.step(q, step.cache(), layer, step.tables(), positions, w.context().split(n));
        ops.matmul(w.context().rows(n), oProj, oBias, out);
    }

    /** q, k, v of n rows of x [n, hidden] into the workspace: one op over the three weights when fused. */
    private void project(Tensor x, AttentionWorkspace w, int n) {
        if (config.fusedProjections()) {
            Tensor[] qkv = w == decodeBuffers ? decodeQkv : prefillQkv;
            qkv[0] = w.q().rows(n);         // [n, heads · D]
            qkv[1] = w.k().rows(n);         // [n, kvHeads · D]
            qkv[2] = w.v().rows(n);         // [n, kvHeads · D]
            ops.matmulGroup(x, qkvWeights, qkvBiases, qkv, config.matmulSplit());
            return;
        }
        ops.matmul(x, qProj, qBias, w.q().rows(n), config.matmulSplit());
        ops.matmul(x, kProj, kBias, w.k().rows(n), config.matmulSplit());
        ops.matmul(x, vProj, vBias, w.v().rows(n), config.matmulSplit());
    }

    @Override
    public String candidate() {
        return SdpaAttentionFactory.NAME;
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
