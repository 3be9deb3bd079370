package io.tttv2.core.modules.latent;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.Attention;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Rotary;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.ShapeChecks;
import io.tttv2.core.modules.norm.Norms;
import java.lang.foreign.Arena;

/**
 * Multi-head latent attention (HF's {@code DeepseekV3Attention}), computed the way DeepSeek's inference does:
 * absorbed. The cache holds per token only what {@code kv_a_proj_with_mqa} yields — the latent c (r =
 * kvLoraRank, after {@code kv_a_layernorm}) and the rotary key k_rope (after rotary), shared by every head —
 * never per-head keys and values. {@code kv_b_proj} is not applied to the cache; it is folded into both sides:
 *
 * <pre>
 *   score_h(t, j) = q_nope_h · (W_uk_h c_j) + q_rope_h · k_rope_j = [W_uk_hᵀ q_nope_h, q_rope_h] · [c_j, k_rope_j]
 *   out_h(t)      = Σ_j p_j W_uv_h c_j = W_uv_h (Σ_j p_j c_j)
 * </pre>
 *
 * so every head attends with a query [r + rope] over the cached entries [r + rope] (MQA, one kv head) and
 * reads the latent, the first r elements of each entry, as its value; W_uv_h then maps the context to the head's
 * v elements before o_proj. Why absorbed rather than expanding keys and values from the latent each step:
 * expanding costs heads · (nope + v) · r per cached token per step and a per-head K/V buffer as long as the
 * sequence; absorbed costs heads · (nope + v) · r per new token only, and attention reads one narrow entry per
 * token for all heads.
 *
 * <p>Everything static is bound at construction; buffers hold {@code config.maxBatch} (decode) and
 * {@code config.prefillChunk} (prefill) rows. A longer prefill runs in chunks.
 */
public final class LatentAttention implements Attention {

    private static final String MODULE = "latent attention";

    private final LatentAttentionSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Rotary rotary;
    private final AttentionBackend backend;
    private final int layer;
    private final Tensor qAProj;        // [qLoraRank, hidden], or null
    private final Tensor qABias;        // [qLoraRank] F32, or null
    private final Norm qANorm;          // over qLoraRank, or null
    private final Tensor qProj;         // [heads · qk, qLoraRank or hidden]: q_b_proj, or q_proj without a q rank
    private final Tensor qBias;         // [heads · qk] F32, or null (q_proj with bias)
    private final Tensor kvAProj;       // [r + rope, hidden]
    private final Tensor kvABias;       // [r + rope] F32, or null
    private final Norm kvANorm;         // over r
    private final Tensor[] ukT;         // [heads] of [r, nope]: W_uk_hᵀ (a transposed copy, the weight's dtype)
    private final Tensor[] uv;          // [heads] of [v, r]: W_uv_h (views of kv_b_proj)
    private final Tensor oProj;         // [hidden, heads · v]
    private final Tensor oBias;         // [hidden] F32, or null
    private final LatentWorkspace prefillBuffers;
    private final LatentWorkspace decodeBuffers;

    public LatentAttention(LatentAttentionSpec spec, ModuleConfig config, Weights weights, Rotary rotary,
                           AttentionBackend backend, int layer, Device device) {
        if (layer < 0) {
            throw new IllegalArgumentException(MODULE + ": KV cache layer must be >= 0, found " + layer);
        }
        if (rotary == null || backend == null) {
            throw new IllegalArgumentException(MODULE + ": a rotary and an attention backend are required");
        }
        AttentionBackendSpec expected = AttentionBackendSpec.latent(spec);
        if (backend.spec() instanceof AttentionBackendSpec b && !b.equals(expected)) {
            throw new IllegalArgumentException(MODULE + ": backend " + backend.candidate() + " computes " + b
                    + ", expected " + expected);
        }
        if (ShapeChecks.rotatedElements(rotary) != spec.qkRopeHeadDim()) {
            throw new IllegalArgumentException(MODULE + ": rotary rotates " + ShapeChecks.rotatedElements(rotary)
                    + " elements, expected qk_rope_head_dim " + spec.qkRopeHeadDim());
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.rotary = rotary;
        this.backend = backend;
        this.layer = layer;
        int h = spec.hidden();
        int heads = spec.heads();
        int r = spec.kvLoraRank();
        int nope = spec.qkNopeHeadDim();
        int v = spec.vHeadDim();
        int qDim = heads * spec.qkHeadDim();
        if (spec.qLoraRank() > 0) {
            this.qAProj = ModuleWeights.matrix(weights, "q_a_proj.weight", MODULE, spec.qLoraRank(), h);
            this.qABias = ModuleWeights.optionalVectorF32(spec.bias(), weights, "q_a_proj.bias", MODULE,
                    spec.qLoraRank(), ops);
            this.qANorm = Norms.create(spec.qANorm(), weights.scoped("q_a_layernorm"), device);
            this.qProj = ModuleWeights.matrix(weights, "q_b_proj.weight", MODULE, qDim, spec.qLoraRank());
            this.qBias = null;
        } else {
            this.qAProj = null;
            this.qABias = null;
            this.qANorm = null;
            this.qProj = ModuleWeights.matrix(weights, "q_proj.weight", MODULE, qDim, h);
            this.qBias = null;      // HF's q_proj has no bias even with attention_bias
        }
        this.kvAProj = ModuleWeights.matrix(weights, "kv_a_proj_with_mqa.weight", MODULE, spec.cacheWidth(), h);
        this.kvABias = ModuleWeights.optionalVectorF32(spec.bias(), weights, "kv_a_proj_with_mqa.bias", MODULE,
                spec.cacheWidth(), ops);
        this.kvANorm = Norms.create(spec.kvANorm(), weights.scoped("kv_a_layernorm"), device);
        Tensor kvB = ModuleWeights.matrix(weights, "kv_b_proj.weight", MODULE, heads * (nope + v), r);
        this.ukT = new Tensor[heads];
        this.uv = new Tensor[heads];
        Arena arena = Arena.ofAuto();
        for (int head = 0; head < heads; head++) {
            int at = head * (nope + v);
            ukT[head] = transposed(kvB.slice(0, at, nope), arena);
            uv[head] = kvB.slice(0, at + nope, v);
        }
        this.oProj = ModuleWeights.matrix(weights, "o_proj.weight", MODULE, h, heads * v);
        this.oBias = ModuleWeights.optionalVectorF32(spec.bias(), weights, "o_proj.bias", MODULE, h, ops);
        this.prefillBuffers = LatentWorkspace.of(config.prefillChunk(), spec);
        this.decodeBuffers = LatentWorkspace.of(config.maxBatch(), spec);
    }

    /** w [n, r] → [r, n] in w's dtype (an exact copy: values are only moved). */
    private static Tensor transposed(Tensor w, Arena arena) {
        int n = w.dim(0);
        int r = w.dim(1);
        Tensor t = Tensor.allocate(arena, w.dtype(), r, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < r; j++) {
                t.setFloat(w.getFloat(i, j), j, i);
            }
        }
        return t;
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
        LatentWorkspace w = prefillBuffers;
        project(x, w, n, true);
        rotary.prefill(w.views().qRope().all(n), start, w.views().qRope().all(n));
        rotary.prefill(w.views().entryRope().all(n), start, w.views().entryRope().all(n));
        ops.writeKv(cache, layer, table, start, w.entry().split(n), null);
        absorbQueries(w, n);
        backend.prefill(w.absorbed().split(n), cache, layer, table, start, w.context().split(n));
        expandValues(w, n);
        ops.matmul(w.values().rows(n), oProj, oBias, out, config.matmulSplit());
    }

    @Override
    public void decode(Tensor x, DecodeStep step, Tensor out) {
        ShapeChecks.rows(MODULE, "decode input", x, spec.hidden(), config.maxBatch());
        int b = x.dim(0);
        ShapeChecks.sameRows(MODULE, "decode output", out, b, spec.hidden());
        if (step.batch() != b || step.tables().length != b) {
            throw new IllegalArgumentException(MODULE + ": decode of " + b + " rows got " + step.batch()
                    + " positions and " + step.tables().length + " block tables");
        }
        LatentWorkspace w = decodeBuffers;
        project(x, w, b, false);
        int[] positions = step.positions();
        rotary.decode(w.views().qRope().all(b), positions, w.views().qRope().all(b));
        rotary.decode(w.views().entryRope().all(b), positions, w.views().entryRope().all(b));
        BlockTable[] tables = step.tables();
        for (int i = 0; i < b; i++) {
            ops.writeKv(step.cache(), layer, tables[i], positions[i], w.entry().row(i), null);
        }
        absorbQueries(w, b);
        backend.decode(w.absorbed().split(b), step.cache(), layer, tables, positions, w.context().split(b));
        expandValues(w, b);
        ops.matmul(w.values().rows(b), oProj, oBias, out, config.matmulSplit());
    }

    /**
     * A mixed step: x, out [rows, hidden], in chunks of prefillChunk rows: projections and absorption once
     * over all of a chunk's rows, rotary at each row's position, each sequence's run writes its entries, then
     * the backend attends every row over its own sequence.
     */
    @Override
    public void step(Tensor x, MixedStep step, Tensor out) {
        ShapeChecks.rows(MODULE, "step input", x, spec.hidden());
        int t = x.dim(0);
        ShapeChecks.sameRows(MODULE, "step output", out, t, spec.hidden());
        if (step.rows() != t) {
            throw new IllegalArgumentException(MODULE + ": step of " + t + " rows got " + step.rows() + " positions");
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
        LatentWorkspace w = prefillBuffers;
        project(x, w, n, true);
        int[] positions = step.positions();
        rotary.decode(w.views().qRope().all(n), positions, w.views().qRope().all(n));
        rotary.decode(w.views().entryRope().all(n), positions, w.views().entryRope().all(n));
        Tensor entries = w.entry().split(n);                             // [n, 1, r + rope]
        for (int r = 0; r < n; ) {
            int end = step.runEnd(r);
            ops.writeKv(step.cache(), layer, step.tables()[r], positions[r], entries.slice(0, r, end - r), null);
            r = end;
        }
        absorbQueries(w, n);
        backend.step(w.absorbed().split(n), step.cache(), layer, step.tables(), positions, w.context().split(n));
        expandValues(w, n);
        ops.matmul(w.values().rows(n), oProj, oBias, out);
    }

    /** Queries [n, heads, qk] and cache entries [n, 1, r + rope] (latent normed, rope not yet rotated). */
    private void project(Tensor x, LatentWorkspace w, int n, boolean prefill) {
        if (qAProj != null) {
            Tensor qa = w.qA().rows(n);                                  // [n, qLoraRank]
            ops.matmul(x, qAProj, qABias, qa, config.matmulSplit());
            norm(qANorm, qa, prefill);
            ops.matmul(qa, qProj, qBias, w.q().rows(n), config.matmulSplit());
        } else {
            ops.matmul(x, qProj, qBias, w.q().rows(n), config.matmulSplit());
        }
        ops.matmul(x, kvAProj, kvABias, w.entry().rows(n), config.matmulSplit());               // [n, r + rope]
        Tensor latentPart = w.views().entryLatent().all(n);              // [n, 1, r] (strided)
        ops.copy(latentPart, w.latent().split(n));
        norm(kvANorm, w.latent().rows(n), prefill);                      // [n, r]
        ops.copy(w.latent().split(n), latentPart);
    }

    private static void norm(Norm norm, Tensor x, boolean prefill) {
        if (prefill) {
            norm.prefill(x, x);
        } else {
            norm.decode(x, x);
        }
    }

    /** absorbed[:, h] = [W_uk_hᵀ q_nope_h, q_rope_h] for every head: [n, heads, r + rope]. */
    private void absorbQueries(LatentWorkspace w, int n) {
        LatentWorkspace.Views v = w.views();
        Tensor qNope = w.nope().rows(n);                                 // [n, nope]
        Tensor headLatent = w.headLatent().rows(n);                      // [n, r]
        for (int h = 0; h < spec.heads(); h++) {
            ops.copy(v.qNope().head(n, h), qNope);
            ops.matmul(qNope, ukT[h], null, headLatent, config.matmulSplit());
            ops.copy(headLatent, v.absorbedLatent().head(n, h));
        }
        ops.copy(v.qRope().all(n), v.absorbedRope().all(n));            // [n, heads, rope]
    }

    /** values[:, h] = W_uv_h · context[:, h] for every head: [n, heads, v]. */
    private void expandValues(LatentWorkspace w, int n) {
        LatentWorkspace.Views v = w.views();
        Tensor headLatent = w.headLatent().rows(n);                      // [n, r]
        Tensor headValue = w.headValue().rows(n);                        // [n, v]
        for (int h = 0; h < spec.heads(); h++) {
            ops.copy(v.context().head(n, h), headLatent);
            ops.matmul(headLatent, uv[h], null, headValue, config.matmulSplit());
            ops.copy(headValue, v.values().head(n, h));
        }
    }

    @Override
    public String candidate() {
        return AbsorbedLatentAttentionFactory.NAME;
    }

    @Override
    public LatentAttentionSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
