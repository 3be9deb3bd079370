package io.tttv2.testing.reference;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.modules.Weights;
import java.util.Arrays;

/**
 * T5's decoder self-attention (HF's {@code T5Attention}, {@code is_decoder}), every sum in double:
 *
 * <pre>
 * q, k, v = q_proj(x), k_proj(x), v_proj(x)
 * s_tj    = scale · q_t·k_j (soft-capped) + bias[h, t, j]          for keys j ≤ the query's position
 * y       = o_proj(Σ_j softmax(s_t)_j v_j)
 * </pre>
 *
 * The keys and values of earlier positions are read from the paged cache (the implementation wrote them in
 * earlier steps); those of this step's tokens are the reference's own.
 */
public final class BiasedAttentionReference {

    private static final String MODULE = "biased attention";

    private final AttentionSpec spec;
    private final int layer;
    private final KeyedAttention attention;
    private final float[] qProj;        // [heads · D, hidden]
    private final float[] kProj;        // [kvHeads · D, hidden]
    private final float[] vProj;        // [kvHeads · D, hidden]
    private final float[] oProj;        // [hidden, heads · D]
    private final float[] qBias;
    private final float[] kBias;
    private final float[] vBias;
    private final float[] oBias;

    public BiasedAttentionReference(AttentionSpec spec, Weights weights, int layer) {
        int h = spec.hidden();
        int qDim = spec.heads() * spec.headDim();
        int kvDim = spec.kvHeads() * spec.headDim();
        this.spec = spec;
        this.layer = layer;
        this.attention = new KeyedAttention(spec.heads(), spec.kvHeads(), spec.headDim(), spec.scaling(), spec.softcap());
        this.qProj = WeightValues.read(weights, "q_proj.weight", MODULE, qDim, h);
        this.kProj = WeightValues.read(weights, "k_proj.weight", MODULE, kvDim, h);
        this.vProj = WeightValues.read(weights, "v_proj.weight", MODULE, kvDim, h);
        this.oProj = WeightValues.read(weights, "o_proj.weight", MODULE, h, qDim);
        this.qBias = WeightValues.readIf(spec.qkvBias(), weights, "q_proj.bias", MODULE, qDim);
        this.kBias = WeightValues.readIf(spec.qkvBias(), weights, "k_proj.bias", MODULE, kvDim);
        this.vBias = WeightValues.readIf(spec.qkvBias(), weights, "v_proj.bias", MODULE, kvDim);
        this.oBias = WeightValues.readIf(spec.outputBias(), weights, "o_proj.bias", MODULE, h);
    }

    public AttentionSpec spec() {
        return spec;
    }

    /** x [T, hidden] of one sequence at positions {@code step.start() ..}; bias [heads, T, start+T]; → [T, hidden]. */
    public double[] prefill(double[] x, int tokens, PrefillStep step, double[] bias) {
        int start = step.start();
        int keys = start + tokens;
        double[] q = project(x, tokens, qProj, qBias, spec.heads());
        double[] k = concat(CachedKeysValues.keys(step.cache(), layer, step.table(), start),
                project(x, tokens, kProj, kBias, spec.kvHeads()));
        double[] v = concat(CachedKeysValues.values(step.cache(), layer, step.table(), start),
                project(x, tokens, vProj, vBias, spec.kvHeads()));
        double[] context = new double[tokens * spec.heads() * spec.headDim()];
        for (int t = 0; t < tokens; t++) {
            boolean[] visible = new boolean[keys];
            Arrays.fill(visible, 0, start + t + 1, true);                   // causal
            attention.attend(q, t, k, v, 0, keys, visible, bias, t, context);
        }
        return output(context, tokens);
    }

    /** x [B, hidden], row b at {@code step.positions()[b]}; biases[b] [heads, 1, positions[b]+1]; → [B, hidden]. */
    public double[] decode(double[] x, DecodeStep step, double[][] biases) {
        int batch = step.batch();
        int kvRow = spec.kvHeads() * spec.headDim();
        double[] q = project(x, batch, qProj, qBias, spec.heads());
        double[] ownK = project(x, batch, kProj, kBias, spec.kvHeads());
        double[] ownV = project(x, batch, vProj, vBias, spec.kvHeads());
        double[] context = new double[batch * spec.heads() * spec.headDim()];
        for (int b = 0; b < batch; b++) {
            int p = step.positions()[b];
            double[] k = concat(CachedKeysValues.keys(step.cache(), layer, step.tables()[b], p),
                    Arrays.copyOfRange(ownK, b * kvRow, (b + 1) * kvRow));
            double[] v = concat(CachedKeysValues.values(step.cache(), layer, step.tables()[b], p),
                    Arrays.copyOfRange(ownV, b * kvRow, (b + 1) * kvRow));
            boolean[] visible = new boolean[p + 1];
            Arrays.fill(visible, true);
            attention.attend(q, b, k, v, 0, p + 1, visible, biases[b], 0, context);
        }
        return output(context, batch);
    }

    private double[] project(double[] x, int rows, float[] w, float[] bias, int heads) {
        if (x.length != rows * spec.hidden()) {
            throw new IllegalArgumentException("biased attention reference: input of " + x.length
                    + " elements, expected " + rows + " x " + spec.hidden());
        }
        return Linear.apply(x, rows, w, bias, heads * spec.headDim(), spec.hidden());
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
