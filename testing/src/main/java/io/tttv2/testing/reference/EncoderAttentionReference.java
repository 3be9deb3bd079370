package io.tttv2.testing.reference;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.EncoderAttentionSpec;
import io.tttv2.api.modules.Weights;

/**
 * Self-attention over a padded batch (HF's {@code BertSelfAttention} + {@code BertSelfOutput.dense}, T5's
 * {@code T5Attention}), every sum in double:
 *
 * <pre>
 * q, k, v = x·Wqᵀ (+bq), x·Wkᵀ (+bk), x·Wvᵀ (+bv)                  per sequence b, [T, heads·D]
 * s_ij    = scale · q_i·k_j (soft-capped) + bias[h, i, j]            for keys j that are real tokens
 *                                                                   (and j ≤ i when causal, i − j &lt; window)
 * y       = (Σ_j softmax(s_i)_j v_j) · Woᵀ (+bo)
 * </pre>
 */
public final class EncoderAttentionReference {

    private static final String MODULE = "encoder attention";

    private final EncoderAttentionSpec spec;
    private final float[] q;           // [heads·D, hidden]
    private final float[] k;           // [kvHeads·D, hidden]
    private final float[] v;           // [kvHeads·D, hidden]
    private final float[] o;           // [hidden, heads·D]
    private final float[] qBias;
    private final float[] kBias;
    private final float[] vBias;
    private final float[] oBias;

    public EncoderAttentionReference(EncoderAttentionSpec spec, Weights weights) {
        AttentionSpec a = spec.attention();
        int h = a.hidden();
        int qDim = a.heads() * a.headDim();
        int kvDim = a.kvHeads() * a.headDim();
        this.spec = spec;
        this.q = WeightValues.read(weights, "q_proj.weight", MODULE, qDim, h);
        this.k = WeightValues.read(weights, "k_proj.weight", MODULE, kvDim, h);
        this.v = WeightValues.read(weights, "v_proj.weight", MODULE, kvDim, h);
        this.o = WeightValues.read(weights, "o_proj.weight", MODULE, h, qDim);
        this.qBias = WeightValues.readIf(a.qkvBias(), weights, "q_proj.bias", MODULE, qDim);
        this.kBias = WeightValues.readIf(a.qkvBias(), weights, "k_proj.bias", MODULE, kvDim);
        this.vBias = WeightValues.readIf(a.qkvBias(), weights, "v_proj.bias", MODULE, kvDim);
        this.oBias = WeightValues.readIf(a.outputBias(), weights, "o_proj.bias", MODULE, h);
    }

    public EncoderAttentionSpec spec() {
        return spec;
    }

    /**
     * x [B, T, hidden]; keep B·T flags (true: a real token); bias [heads, T, T] or null; → [B, T, hidden].
     */
    public double[] forward(double[] x, int batch, int tokens, boolean[] keep, double[] bias) {
        AttentionSpec a = spec.attention();
        int h = a.hidden();
        if (x.length != batch * tokens * h || keep.length != batch * tokens) {
            throw new IllegalArgumentException("encoder attention reference: input of " + x.length + " elements and "
                    + keep.length + " mask flags, expected " + batch + " x " + tokens + " x " + h);
        }
        int qDim = a.heads() * a.headDim();
        int kvDim = a.kvHeads() * a.headDim();
        double[] qs = Linear.apply(x, batch * tokens, q, qBias, qDim, h);
        double[] ks = Linear.apply(x, batch * tokens, k, kBias, kvDim, h);
        double[] vs = Linear.apply(x, batch * tokens, v, vBias, kvDim, h);
        double[] context = new double[batch * tokens * qDim];
        KeyedAttention attention = new KeyedAttention(a.heads(), a.kvHeads(), a.headDim(), a.scaling(), a.softcap());
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < tokens; i++) {
                boolean[] visible = new boolean[tokens];
                for (int j = 0; j < tokens; j++) {
                    visible[j] = keep[b * tokens + j] && (!spec.causal() || j <= i)
                            && (a.slidingWindow() == 0 || i - j < a.slidingWindow());
                }
                attention.attend(qs, b * tokens + i, ks, vs, b * tokens, tokens, visible, bias, i, context);
            }
        }
        return Linear.apply(context, batch * tokens, o, oBias, h, qDim);
    }
}
