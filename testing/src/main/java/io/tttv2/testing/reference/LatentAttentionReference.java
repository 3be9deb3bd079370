package io.tttv2.testing.reference;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Weights;
import java.util.Arrays;

/**
 * Multi-head latent attention as HF's {@code DeepseekV3Attention} computes it — keys and values expanded per head
 * from the latent, not absorbed — for the tokens of one step, in double:
 *
 * <pre>
 * q                 = q_b_proj(q_a_layernorm(q_a_proj(x)))   or q_proj(x)          [T, heads, nope + rope]
 * c, k_rope         = split(kv_a_proj_with_mqa(x), [r, rope]); c = kv_a_layernorm(c)
 * q_rope, k_rope    = rope(q_rope), rope(k_rope)                                   (k_rope one head, shared)
 * k_nope_h, v_h     = split(kv_b_proj(c) per head, [nope, v])
 * out               = o_proj(softmax(scale · [q_nope, q_rope] · [k_nope_h, k_rope]ᵀ, causal) · v_h)
 * </pre>
 *
 * Earlier positions are read from the paged cache as the implementation stored them — one entry per token,
 * [c, k_rope] (kvLoraRank + qkRopeHeadDim) — and expanded here; this step's own are the reference's.
 */
public final class LatentAttentionReference implements SelfAttentionReference {

    private static final String MODULE = "latent attention";

    private final LatentAttentionSpec spec;
    private final RotaryReference rotary;
    private final int layer;
    private final float[] qAProj;       // [qLoraRank, hidden], or null
    private final float[] qABias;       // [qLoraRank], or null
    private final NormReference qANorm; // or null
    private final float[] qProj;        // [heads · qk, qLoraRank or hidden]
    private final float[] kvAProj;      // [r + rope, hidden]
    private final float[] kvABias;      // [r + rope], or null
    private final NormReference kvANorm;
    private final float[] kvBProj;      // [heads · (nope + v), r]
    private final float[] oProj;        // [hidden, heads · v]
    private final float[] oBias;        // [hidden], or null

    public LatentAttentionReference(LatentAttentionSpec spec, Weights weights, RotaryReference rotary, int layer) {
        int h = spec.hidden();
        int qDim = spec.heads() * spec.qkHeadDim();
        this.spec = spec;
        this.rotary = rotary;
        this.layer = layer;
        if (spec.qLoraRank() > 0) {
            this.qAProj = WeightValues.read(weights, "q_a_proj.weight", MODULE, spec.qLoraRank(), h);
            this.qABias = WeightValues.readIf(spec.bias(), weights, "q_a_proj.bias", MODULE, spec.qLoraRank());
            this.qANorm = new NormReference(spec.qANorm(), weights.scoped("q_a_layernorm"));
            this.qProj = WeightValues.read(weights, "q_b_proj.weight", MODULE, qDim, spec.qLoraRank());
        } else {
            this.qAProj = null;
            this.qABias = null;
            this.qANorm = null;
            this.qProj = WeightValues.read(weights, "q_proj.weight", MODULE, qDim, h);
        }
        this.kvAProj = WeightValues.read(weights, "kv_a_proj_with_mqa.weight", MODULE, spec.cacheWidth(), h);
        this.kvABias = WeightValues.readIf(spec.bias(), weights, "kv_a_proj_with_mqa.bias", MODULE, spec.cacheWidth());
        this.kvANorm = new NormReference(spec.kvANorm(), weights.scoped("kv_a_layernorm"));
        this.kvBProj = WeightValues.read(weights, "kv_b_proj.weight", MODULE,
                spec.heads() * (spec.qkNopeHeadDim() + spec.vHeadDim()), spec.kvLoraRank());
        this.oProj = WeightValues.read(weights, "o_proj.weight", MODULE, h, spec.heads() * spec.vHeadDim());
        this.oBias = WeightValues.readIf(spec.bias(), weights, "o_proj.bias", MODULE, h);
    }

    public LatentAttentionSpec spec() {
        return spec;
    }

    @Override
    public double[] prefill(double[] x, int tokens, PrefillStep step) {
        int[] positions = new int[tokens];
        for (int t = 0; t < tokens; t++) {
            positions[t] = step.start() + t;
        }
        Projected p = project(x, positions);
        double[] entries = concat(CachedKeysValues.keys(step.cache(), layer, step.table(), step.start()), p.entries);
        Expanded kv = expand(entries, step.start() + tokens);
        double[] context = new double[tokens * spec.heads() * spec.vHeadDim()];
        for (int t = 0; t < tokens; t++) {
            attend(p.q, t, kv, positions[t], context);
        }
        return Linear.apply(context, tokens, oProj, oBias, spec.hidden(), spec.heads() * spec.vHeadDim());
    }

    @Override
    public double[] decode(double[] x, DecodeStep step) {
        int batch = step.batch();
        int[] positions = step.positions().clone();
        Projected p = project(x, positions);
        int w = spec.cacheWidth();
        double[] context = new double[batch * spec.heads() * spec.vHeadDim()];
        for (int b = 0; b < batch; b++) {
            BlockTable table = step.tables()[b];
            double[] own = Arrays.copyOfRange(p.entries, b * w, (b + 1) * w);
            double[] entries = concat(CachedKeysValues.keys(step.cache(), layer, table, positions[b]), own);
            attend(p.q, b, expand(entries, positions[b] + 1), positions[b], context);
        }
        return Linear.apply(context, batch, oProj, oBias, spec.hidden(), spec.heads() * spec.vHeadDim());
    }

    /** q [rows, heads, qk] with its rope part rotated; entries [rows, r + rope], latent normed, rope rotated. */
    private record Projected(double[] q, double[] entries) {
    }

    /** Per-head keys [n, heads, qk] (k_nope_h, then the shared k_rope) and values [n, heads, v]. */
    private record Expanded(double[] keys, double[] values) {
    }

    private Projected project(double[] x, int[] positions) {
        int rows = positions.length;
        int h = spec.hidden();
        if (x.length != rows * h) {
            throw new IllegalArgumentException("latent attention reference: input of " + x.length
                    + " elements, expected " + rows + " x " + h);
        }
        int heads = spec.heads();
        int qk = spec.qkHeadDim();
        int nope = spec.qkNopeHeadDim();
        int rope = spec.qkRopeHeadDim();
        int r = spec.kvLoraRank();
        double[] q;
        if (qAProj != null) {
            double[] qa = qANorm.apply(Linear.apply(x, rows, qAProj, qABias, spec.qLoraRank(), h), rows);
            q = Linear.apply(qa, rows, qProj, null, heads * qk, spec.qLoraRank());
        } else {
            q = Linear.apply(x, rows, qProj, null, heads * qk, h);
        }
        double[] qRope = new double[rows * heads * rope];
        for (int i = 0; i < rows * heads; i++) {
            System.arraycopy(q, i * qk + nope, qRope, i * rope, rope);
        }
        qRope = rotary.apply(qRope, heads, positions);
        for (int i = 0; i < rows * heads; i++) {
            System.arraycopy(qRope, i * rope, q, i * qk + nope, rope);
        }
        double[] kv = Linear.apply(x, rows, kvAProj, kvABias, r + rope, h);
        double[] latent = new double[rows * r];
        double[] kRope = new double[rows * rope];
        for (int t = 0; t < rows; t++) {
            System.arraycopy(kv, t * (r + rope), latent, t * r, r);
            System.arraycopy(kv, t * (r + rope) + r, kRope, t * rope, rope);
        }
        latent = kvANorm.apply(latent, rows);
        kRope = rotary.apply(kRope, 1, positions);
        double[] entries = new double[rows * (r + rope)];
        for (int t = 0; t < rows; t++) {
            System.arraycopy(latent, t * r, entries, t * (r + rope), r);
            System.arraycopy(kRope, t * rope, entries, t * (r + rope) + r, rope);
        }
        return new Projected(q, entries);
    }

    /** entries [n, r + rope] → per-head keys and values through kv_b_proj. */
    private Expanded expand(double[] entries, int n) {
        int heads = spec.heads();
        int nope = spec.qkNopeHeadDim();
        int rope = spec.qkRopeHeadDim();
        int v = spec.vHeadDim();
        int r = spec.kvLoraRank();
        int qk = nope + rope;
        double[] latent = new double[n * r];
        for (int j = 0; j < n; j++) {
            System.arraycopy(entries, j * (r + rope), latent, j * r, r);
        }
        double[] kvb = Linear.apply(latent, n, kvBProj, null, heads * (nope + v), r);     // [n, heads, nope + v]
        double[] keys = new double[n * heads * qk];
        double[] values = new double[n * heads * v];
        for (int j = 0; j < n; j++) {
            for (int h = 0; h < heads; h++) {
                int from = (j * heads + h) * (nope + v);
                System.arraycopy(kvb, from, keys, (j * heads + h) * qk, nope);
                System.arraycopy(entries, j * (r + rope) + r, keys, (j * heads + h) * qk + nope, rope);
                System.arraycopy(kvb, from + nope, values, (j * heads + h) * v, v);
            }
        }
        return new Expanded(keys, values);
    }

    /** Row t of q against keys 0 .. position (causal): context[t] [heads, v]. */
    private void attend(double[] q, int t, Expanded kv, int position, double[] context) {
        int heads = spec.heads();
        int qk = spec.qkHeadDim();
        int v = spec.vHeadDim();
        int n = position + 1;
        double[] scores = new double[n];
        for (int h = 0; h < heads; h++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = 0; i < qk; i++) {
                    s += q[(t * heads + h) * qk + i] * kv.keys[(j * heads + h) * qk + i];
                }
                scores[j] = s * spec.scaling();
                max = Math.max(max, scores[j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                scores[j] = Math.exp(scores[j] - max);
                sum += scores[j];
            }
            for (int i = 0; i < v; i++) {
                double acc = 0;
                for (int j = 0; j < n; j++) {
                    acc += scores[j] * kv.values[(j * heads + h) * v + i];
                }
                context[(t * heads + h) * v + i] = acc / sum;
            }
        }
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
