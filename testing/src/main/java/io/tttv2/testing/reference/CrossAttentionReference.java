package io.tttv2.testing.reference;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.CrossAttentionSpec;
import io.tttv2.api.modules.Weights;

/**
 * A decoder's attention over its encoder's output (HF's T5 {@code EncDecAttention}), every sum in double:
 *
 * <pre>
 * k, v = e·Wkᵀ (+bk), e·Wvᵀ (+bv)              e [S, encoderHidden], the request's encoder output
 * q    = x·Wqᵀ (+bq)                           x [T, hidden]
 * y    = (Σ_j softmax(scale · q·k_j)_j v_j) · Woᵀ (+bo)     over the encoder's real tokens j
 * </pre>
 */
public final class CrossAttentionReference {

    private static final String MODULE = "cross-attention";

    private final CrossAttentionSpec spec;
    private final float[] q;            // [heads·D, hidden]
    private final float[] k;            // [kvHeads·D, encoderHidden]
    private final float[] v;            // [kvHeads·D, encoderHidden]
    private final float[] o;            // [hidden, heads·D]
    private final float[] qBias;
    private final float[] kBias;
    private final float[] vBias;
    private final float[] oBias;

    public CrossAttentionReference(CrossAttentionSpec spec, Weights weights) {
        AttentionSpec a = spec.attention();
        int h = a.hidden();
        int e = spec.encoderHidden();
        int qDim = a.heads() * a.headDim();
        int kvDim = a.kvHeads() * a.headDim();
        this.spec = spec;
        this.q = WeightValues.read(weights, "q_proj.weight", MODULE, qDim, h);
        this.k = WeightValues.read(weights, "k_proj.weight", MODULE, kvDim, e);
        this.v = WeightValues.read(weights, "v_proj.weight", MODULE, kvDim, e);
        this.o = WeightValues.read(weights, "o_proj.weight", MODULE, h, qDim);
        this.qBias = WeightValues.readIf(a.qkvBias(), weights, "q_proj.bias", MODULE, qDim);
        this.kBias = WeightValues.readIf(a.qkvBias(), weights, "k_proj.bias", MODULE, kvDim);
        this.vBias = WeightValues.readIf(a.qkvBias(), weights, "v_proj.bias", MODULE, kvDim);
        this.oBias = WeightValues.readIf(a.outputBias(), weights, "o_proj.bias", MODULE, h);
    }

    public CrossAttentionSpec spec() {
        return spec;
    }

    /**
     * x [rows, hidden], each row against the encoder output of its own request: encoder[r] [S_r,
     * encoderHidden] with keep[r] (S_r flags); → [rows, hidden].
     */
    public double[] apply(double[] x, int rows, double[][] encoder, boolean[][] keep) {
        AttentionSpec a = spec.attention();
        int h = a.hidden();
        int e = spec.encoderHidden();
        int qDim = a.heads() * a.headDim();
        int kvDim = a.kvHeads() * a.headDim();
        if (x.length != rows * h || encoder.length != rows || keep.length != rows) {
            throw new IllegalArgumentException("cross-attention reference: input of " + x.length + " elements with "
                    + encoder.length + " encoder outputs, expected " + rows + " x " + h + " and one per row");
        }
        double[] qs = Linear.apply(x, rows, q, qBias, qDim, h);
        double[] context = new double[rows * qDim];
        KeyedAttention attention = new KeyedAttention(a.heads(), a.kvHeads(), a.headDim(), a.scaling(), a.softcap());
        for (int r = 0; r < rows; r++) {
            int s = encoder[r].length / e;
            double[] ks = Linear.apply(encoder[r], s, k, kBias, kvDim, e);
            double[] vs = Linear.apply(encoder[r], s, v, vBias, kvDim, e);
            attention.attend(qs, r, ks, vs, 0, s, keep[r], null, 0, context);
        }
        return Linear.apply(context, rows, o, oBias, h, qDim);
    }
}
