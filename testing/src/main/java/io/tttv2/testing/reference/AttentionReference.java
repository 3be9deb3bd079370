package io.tttv2.testing.reference;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Weights;
import java.util.Arrays;

/**
 * Causal self-attention with grouped keys and values (HF {@code LlamaAttention} and its relatives), for
 * the tokens of one step:
 *
 * <pre>
 * q, k, v = q_proj(x), k_proj(x), v_proj(x)                 (+ biases: Qwen2)
 * q, k    = q_norm(q), k_norm(k)                            (per head: Qwen3; over the projection: OLMo 2)
 * q, k    = rope(q, positions), rope(k, positions)          (no rotary: GPT-2)
 * context = {@link ScaledDotProduct}: causal, windowed, soft-capped, grouped
 * y = o_proj(context)
 * </pre>
 *
 * The keys and values of earlier positions are read from the paged cache (the implementation wrote them
 * in earlier steps); those of this step's tokens are the reference's own.
 */
public final class AttentionReference implements SelfAttentionReference {

    private final AttentionSpec spec;
    private final RotaryReference rotary;       // null: no rotary positions
    private final ScaledDotProduct sdpa;
    private final int layer;
    private final float[] qProj;        // [heads · D, hidden]
    private final float[] kProj;        // [kvHeads · D, hidden]
    private final float[] vProj;        // [kvHeads · D, hidden]
    private final float[] oProj;        // [hidden, heads · D]
    private final float[] qBias;        // [heads · D], or null
    private final float[] kBias;        // [kvHeads · D], or null
    private final float[] vBias;        // [kvHeads · D], or null
    private final float[] oBias;        // [hidden], or null
    private final NormReference qNorm;  // null without q/k norm
    private final NormReference kNorm;

    /** rotary: null for attention without rotary positions (GPT-2). */
    public AttentionReference(AttentionSpec spec, Weights weights, RotaryReference rotary, int layer) {
        int h = spec.hidden();
        int qDim = spec.heads() * spec.headDim();
        int kvDim = spec.kvHeads() * spec.headDim();
        this.spec = spec;
        this.rotary = rotary;
        this.sdpa = new ScaledDotProduct(spec.heads(), spec.kvHeads(), spec.headDim(), spec.scaling(),
                spec.slidingWindow(), spec.softcap());
        this.layer = layer;
        this.qProj = WeightValues.read(weights, "q_proj.weight", "attention", qDim, h);
        this.kProj = WeightValues.read(weights, "k_proj.weight", "attention", kvDim, h);
        this.vProj = WeightValues.read(weights, "v_proj.weight", "attention", kvDim, h);
        this.oProj = WeightValues.read(weights, "o_proj.weight", "attention", h, qDim);
        this.qBias = WeightValues.readIf(spec.qkvBias(), weights, "q_proj.bias", "attention", qDim);
        this.kBias = WeightValues.readIf(spec.qkvBias(), weights, "k_proj.bias", "attention", kvDim);
        this.vBias = WeightValues.readIf(spec.qkvBias(), weights, "v_proj.bias", "attention", kvDim);
        this.oBias = WeightValues.readIf(spec.outputBias(), weights, "o_proj.bias", "attention", h);
        this.qNorm = qkNorm(spec, spec.heads(), weights.scoped("q_norm"));
        this.kNorm = qkNorm(spec, spec.kvHeads(), weights.scoped("k_norm"));
    }

    /** PER_HEAD: one norm over each head's D elements; FULL: one over all heads · D (k's over kvHeads · D). */
    private static NormReference qkNorm(AttentionSpec spec, int heads, Weights weights) {
        NormSpec s = spec.qkNormSpec();
        return switch (spec.qkNorm()) {
            case NONE -> null;
            case PER_HEAD -> new NormReference(s, weights);
            case FULL -> new NormReference(new NormSpec(heads * spec.headDim(), s.kind(), s.eps(), s.weightOffset(),
                    s.bias()), weights);
        };
    }

    public AttentionSpec spec() {
        return spec;
    }

    @Override
    public double[] prefill(double[] x, int tokens, PrefillStep step) {
        int[] positions = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            positions[t] = step.start() + t;
        }
        Projected p = project(x, positions);
        int earlier = step.start();
        // every key this sequence has: [earlier + T, kvHeads, D], the cached ones first, then this step's
        double[] keys = concat(CachedKeysValues.keys(step.cache(), layer, step.table(), earlier), p.k);
        double[] values = concat(CachedKeysValues.values(step.cache(), layer, step.table(), earlier), p.v);
        double[] context = new double[tokens * spec.heads() * spec.headDim()];
        for (int t = 0; t < tokens; t++) {
            sdpa.attend(p.q, t, keys, values, positions[t], positions[t], context);
        }
        return output(context, tokens);
    }

    @Override
    public double[] decode(double[] x, DecodeStep step) {
        int batch = step.batch();
        int[] positions = step.positions().clone();
        Projected p = project(x, positions);
        int kvRow = spec.kvHeads() * spec.headDim();
        double[] context = new double[batch * spec.heads() * spec.headDim()];
        for (int b = 0; b < batch; b++) {
            PagedKvCache cache = step.cache();
            BlockTable table = step.tables()[b];
            double[] ownKey = Arrays.copyOfRange(p.k, b * kvRow, (b + 1) * kvRow);
            double[] ownValue = Arrays.copyOfRange(p.v, b * kvRow, (b + 1) * kvRow);
            double[] keys = concat(CachedKeysValues.keys(cache, layer, table, positions[b]), ownKey);
            double[] values = concat(CachedKeysValues.values(cache, layer, table, positions[b]), ownValue);
            sdpa.attend(p.q, b, keys, values, positions[b], positions[b], context);
        }
        return output(context, batch);
    }

    /** q [rows, heads, D], k and v [rows, kvHeads, D], normed and rotated. */
    private record Projected(double[] q, double[] k, double[] v) {
    }

    private Projected project(double[] x, int[] positions) {
        int rows = positions.length;
        int h = spec.hidden();
        int d = spec.headDim();
        if (x.length != rows * h) {
            throw new IllegalArgumentException("attention reference: input of " + x.length + " elements, expected "
                    + rows + " x " + h);
        }
        double[] q = Linear.apply(x, rows, qProj, qBias, spec.heads() * d, h);
        double[] k = Linear.apply(x, rows, kProj, kBias, spec.kvHeads() * d, h);
        double[] v = Linear.apply(x, rows, vProj, vBias, spec.kvHeads() * d, h);
        if (qNorm != null) {
            boolean perHead = spec.qkNorm() == AttentionSpec.QkNorm.PER_HEAD;
            q = qNorm.apply(q, perHead ? rows * spec.heads() : rows);
            k = kNorm.apply(k, perHead ? rows * spec.kvHeads() : rows);
        }
        if (rotary != null) {
            q = rotary.apply(q, spec.heads(), positions);
            k = rotary.apply(k, spec.kvHeads(), positions);
        }
        return new Projected(q, k, v);
    }

    private double[] output(double[] context, int rows) {
        return Linear.apply(context, rows, oProj, oBias, spec.hidden(), spec.heads() * spec.headDim());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
