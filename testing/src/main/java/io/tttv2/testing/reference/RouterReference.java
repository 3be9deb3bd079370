package io.tttv2.testing.reference;

import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.Weights;
import java.util.Arrays;

/**
 * The router of a mixture of experts (HF {@code MixtralSparseMoeBlock}'s and {@code Qwen2MoeSparseMoeBlock}'s
 * softmax top-k, {@code DeepseekV3TopkRouter}'s grouped sigmoid top-k), in double:
 *
 * <pre>
 * logits = x · gateᵀ
 * s      = softmax(logits)  |  sigmoid(logits)
 * c      = s + e_score_correction_bias                        (selection only)
 * groups: score = sum of the two largest c of the group; c of all but the topk_group best groups = 0
 * picked = the top_k largest c (ties to the lower index);  w = s[picked]
 * w     /= sum(w) if normalised;   w *= routed_scaling_factor
 * </pre>
 *
 * The result is dense: [rows, experts], each token's weight on each expert, 0 where it was not picked.
 */
public final class RouterReference {

    private final RouterSpec spec;
    private final float[] gate;     // [experts, hidden]
    private final float[] bias;     // [experts], or null

    public RouterReference(RouterSpec spec, Weights weights) {
        this.spec = spec;
        this.gate = WeightValues.read(weights, "weight", "router", spec.experts(), spec.hidden());
        this.bias = WeightValues.readIf(spec.correctionBias(), weights, "e_score_correction_bias", "router",
                spec.experts());
    }

    public RouterSpec spec() {
        return spec;
    }

    /** x [rows, hidden] → routing weights [rows, experts]. */
    public double[] dense(double[] x, int rows) {
        int e = spec.experts();
        double[] logits = Linear.apply(x, rows, gate, null, e, spec.hidden());
        double[] out = new double[rows * e];
        for (int t = 0; t < rows; t++) {
            double[] s = scores(Arrays.copyOfRange(logits, t * e, (t + 1) * e));
            double[] c = new double[e];
            for (int i = 0; i < e; i++) {
                c[i] = s[i] + (bias == null ? 0 : bias[i]);
            }
            keepBestGroups(c);
            int[] picked = largest(c, spec.topK());
            double sum = 0;
            for (int p : picked) {
                sum += s[p];
            }
            for (int p : picked) {
                double w = spec.normalize() ? s[p] / sum : s[p];
                out[t * e + p] = w * spec.scalingFactor();
            }
        }
        return out;
    }

    private double[] scores(double[] logits) {
        double[] s = new double[logits.length];
        if (spec.scoring() == RouterSpec.Scoring.SIGMOID) {
            for (int i = 0; i < s.length; i++) {
                s[i] = 1 / (1 + Math.exp(-logits[i]));
            }
            return s;
        }
        double max = Arrays.stream(logits).max().orElseThrow();
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.exp(logits[i] - max);
            sum += s[i];
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= sum;
        }
        return s;
    }

    private void keepBestGroups(double[] c) {
        int size = spec.groupSize();
        double[] groupScores = new double[spec.groups()];
        for (int g = 0; g < spec.groups(); g++) {
            double[] members = Arrays.copyOfRange(c, g * size, (g + 1) * size);
            Arrays.sort(members);
            groupScores[g] = members[size - 1] + (size > 1 ? members[size - 2] : 0);
        }
        boolean[] kept = new boolean[spec.groups()];
        for (int g : largest(groupScores, spec.topKGroups())) {
            kept[g] = true;
        }
        for (int g = 0; g < spec.groups(); g++) {
            if (!kept[g]) {
                Arrays.fill(c, g * size, (g + 1) * size, 0);
            }
        }
    }

    /** Indices of the k largest values, ties to the lower index. */
    private static int[] largest(double[] v, int k) {
        boolean[] taken = new boolean[v.length];
        int[] picked = new int[k];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int i = 0; i < v.length; i++) {
                if (!taken[i] && (best < 0 || v[i] > v[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            picked[j] = best;
        }
        return picked;
    }
}
