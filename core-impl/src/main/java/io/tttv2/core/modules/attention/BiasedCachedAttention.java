package io.tttv2.core.modules.attention;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.BiasedAttention;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.ShapeChecks;
import java.util.Arrays;

/**
 * T5's decoder self-attention (HF's {@code T5Attention} with {@code is_decoder}): q/k/v projections, cache
 * write, causal attention over the paged cache with the relative-position bias added to the scores (no
 * rotary, unscaled in T5), o_proj. The spec's scaling and soft-cap apply; its window must be 0. A prefill
 * longer than {@code config.prefillChunk} runs in chunks, each with its rows of the bias; decode attends row
 * by row, each row a one-token prefill at its position with its own bias row.
 */
public final class BiasedCachedAttention implements BiasedAttention {

    private static final String MODULE = "biased attention";

    private final AttentionSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final AttentionParams params;
    private final int layer;
    private final Tensor qProj;         // [heads · D, hidden]
    private final Tensor kProj;         // [kvHeads · D, hidden]
    private final Tensor vProj;         // [kvHeads · D, hidden]
    private final Tensor oProj;         // [hidden, heads · D]
    private final Tensor qBias;         // [heads · D] F32, or null
    private final Tensor kBias;         // [kvHeads · D] F32, or null
    private final Tensor vBias;         // [kvHeads · D] F32, or null
    private final Tensor oBias;         // [hidden] F32, or null
    private final AttentionWorkspace prefillBuffers;    // prefillChunk rows
    private final AttentionWorkspace decodeBuffers;     // maxBatch rows

    public BiasedCachedAttention(AttentionSpec spec, ModuleConfig config, Weights weights, int layer, Device device) {
        if (layer < 0) {
            throw new IllegalArgumentException(MODULE + ": KV cache layer must be >= 0, found " + layer);
        }
        if (spec.qkNorm() != AttentionSpec.QkNorm.NONE || spec.slidingWindow() != 0) {
            throw new IllegalArgumentException(MODULE + ": has no q/k norm and no window, found " + spec.qkNorm()
                    + ", window " + spec.slidingWindow());
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.params = new AttentionParams(spec.scaling(), true, 0, spec.softcap());
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
        this.prefillBuffers = AttentionWorkspace.of(config.prefillChunk(), spec);
        this.decodeBuffers = AttentionWorkspace.of(config.maxBatch(), spec);
    }

    @Override
    public int layer() {
        return layer;
    }

    @Override
    public void prefill(Tensor x, PrefillStep step, Tensor bias, Tensor out) {
        ShapeChecks.rows(MODULE, "prefill input", x, spec.hidden());
        int t = x.dim(0);
        ShapeChecks.sameRows(MODULE, "prefill output", out, t, spec.hidden());
        int start = step.start();
        requireBias(bias, t, start + t, "prefill");
        int chunk = config.prefillChunk();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            // the chunk's queries see keys 0 .. start+s+n-1: its rows of the bias, cut to those keys (a strided view)
            prefillChunk(x.slice(0, s, n), step, start + s, bias.slice(1, s, n).slice(2, 0, start + s + n),
                    out.slice(0, s, n));
        }
    }

    /** n ≤ prefillChunk tokens at positions start .. start+n-1: x, out [n, hidden]; bias [heads, n, start+n]. */
    private void prefillChunk(Tensor x, PrefillStep step, int start, Tensor bias, Tensor out) {
        int n = x.dim(0);
        AttentionWorkspace w = prefillBuffers;
        project(x, w, n);
        ops.writeKv(step.cache(), layer, step.table(), start, w.k().split(n), w.v().split(n));
        ops.attentionPrefill(w.q().split(n), step.cache(), layer, step.table(), start, params, bias,
                w.context().split(n));
        ops.matmul(w.context().rows(n), oProj, oBias, out, config.matmulSplit());
    }

    @Override
    public void decode(Tensor x, DecodeStep step, Tensor[] biases, Tensor out) {
        ShapeChecks.rows(MODULE, "decode input", x, spec.hidden(), config.maxBatch());
        int b = x.dim(0);
        ShapeChecks.sameRows(MODULE, "decode output", out, b, spec.hidden());
        if (step.batch() != b || step.tables().length != b || biases.length != b) {
            throw new IllegalArgumentException(MODULE + ": decode of " + b + " rows got " + step.batch()
                    + " positions, " + step.tables().length + " block tables and " + biases.length + " biases");
        }
        int[] positions = step.positions();
        for (int i = 0; i < b; i++) {
            requireBias(biases[i], 1, positions[i] + 1, "decode row " + i);
        }
        AttentionWorkspace w = decodeBuffers;
        project(x, w, b);
        BlockTable[] tables = step.tables();
        for (int i = 0; i < b; i++) {
            ops.writeKv(step.cache(), layer, tables[i], positions[i], w.k().row(i), w.v().row(i));
            ops.attentionPrefill(w.q().row(i), step.cache(), layer, tables[i], positions[i], params, biases[i],
                    w.context().row(i));
        }
        ops.matmul(w.context().rows(b), oProj, oBias, out, config.matmulSplit());
    }

    private void requireBias(Tensor bias, int queries, int keys, String what) {
        if (bias == null || bias.rank() != 3 || bias.dim(0) != spec.heads() || bias.dim(1) != queries
                || bias.dim(2) != keys) {
            throw new IllegalArgumentException(MODULE + ": " + what + " bias is "
                    + (bias == null ? "missing" : Arrays.toString(bias.shape())) + ", expected [" + spec.heads() + ", "
                    + queries + ", " + keys + "]");
        }
    }

    /** q, k, v of n rows of x [n, hidden] into the workspace. */
    private void project(Tensor x, AttentionWorkspace w, int n) {
        ops.matmul(x, qProj, qBias, w.q().rows(n), config.matmulSplit());
        ops.matmul(x, kProj, kBias, w.k().rows(n), config.matmulSplit());
        ops.matmul(x, vProj, vBias, w.v().rows(n), config.matmulSplit());
    }

    @Override
    public String candidate() {
        return BiasedCachedAttentionFactory.NAME;
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
