package io.tttv2.core.modules.moe;

import io.tttv2.api.modules.RouterSpec;

/**
 * The routing arithmetic of one token on plain float arrays (experts are few: tens to hundreds), so that a
 * router picks with what it has in hand: scores, the optional group mask, top-k, normalisation and scale.
 * Holds its scratch arrays; one instance per router, used by one thread at a time.
 */
final class ExpertSelection {

    private final RouterSpec spec;
    private final float[] scores;       // [experts] softmax or sigmoid of the logits
    private final float[] choice;       // [experts] what the pick ranks (scores + correction bias, masked)
    private final float[] groupScores;  // [groups]
    private final int[] groupPick;      // [topKGroups]
    private final float[] groupValues;  // [topKGroups]
    private final float[] pickValues;   // [topK]

    ExpertSelection(RouterSpec spec) {
        this.spec = spec;
        this.scores = new float[spec.experts()];
        this.choice = new float[spec.experts()];
        this.groupScores = new float[spec.groups()];
        this.groupPick = new int[spec.topKGroups()];
        this.groupValues = new float[spec.topKGroups()];
        this.pickValues = new float[spec.topK()];
    }

    /**
     * One token: logits [experts] → experts[at .. at+k), weights[at .. at+k).
     *
     * @param bias the correction bias [experts] (selection only), or null
     */
    void select(float[] logits, float[] bias, int[] experts, float[] weights, int at) {
        int e = spec.experts();
        int k = spec.topK();
        score(logits);
        for (int i = 0; i < e; i++) {
            choice[i] = bias == null ? scores[i] : scores[i] + bias[i];
        }
        if (spec.topKGroups() < spec.groups()) {
            maskGroups();
        }
        largest(choice, e, k, experts, at, pickValues);
        float sum = 0f;
        for (int j = 0; j < k; j++) {
            weights[at + j] = scores[experts[at + j]];
            sum += weights[at + j];
        }
        if (spec.normalize()) {
            // DeepSeek-V3 guards the sum of sigmoid weights with 1e-20; Mixtral and Qwen2-MoE divide as is
            float denominator = spec.scoring() == RouterSpec.Scoring.SIGMOID ? sum + 1e-20f : sum;
            for (int j = 0; j < k; j++) {
                weights[at + j] /= denominator;
            }
        }
        if (spec.scalingFactor() != 1f) {
            for (int j = 0; j < k; j++) {
                weights[at + j] *= spec.scalingFactor();
            }
        }
    }

    private void score(float[] logits) {
        int e = spec.experts();
        if (spec.scoring() == RouterSpec.Scoring.SIGMOID) {
            for (int i = 0; i < e; i++) {
                scores[i] = (float) (1.0 / (1.0 + Math.exp(-logits[i])));
            }
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < e; i++) {
            max = Math.max(max, logits[i]);
        }
        float sum = 0f;
        for (int i = 0; i < e; i++) {
            scores[i] = (float) Math.exp(logits[i] - max);
            sum += scores[i];
        }
        for (int i = 0; i < e; i++) {
            scores[i] /= sum;
        }
    }

    /** Ranks groups by the sum of their two largest choices; the choices of groups not kept become 0 (as HF). */
    private void maskGroups() {
        int size = spec.groupSize();
        for (int g = 0; g < spec.groups(); g++) {
            float first = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            for (int i = g * size; i < (g + 1) * size; i++) {
                float v = choice[i];
                if (v > first) {
                    second = first;
                    first = v;
                } else if (v > second) {
                    second = v;
                }
            }
            groupScores[g] = size == 1 ? first : first + second;
        }
        largest(groupScores, spec.groups(), spec.topKGroups(), groupPick, 0, groupValues);
        for (int g = 0; g < spec.groups(); g++) {
            if (!kept(g)) {
                java.util.Arrays.fill(choice, g * size, (g + 1) * size, 0f);
            }
        }
    }

    private boolean kept(int group) {
        for (int p : groupPick) {
            if (p == group) {
                return true;
            }
        }
        return false;
    }

    /**
     * The k largest of values[0..n) into indices[at .. at+k), largest first, ties to the lower index (one pass,
     * insertion into the best k held so far).
     */
    static void largest(float[] values, int n, int k, int[] indices, int at, float[] best) {
        int held = 0;
        for (int i = 0; i < n; i++) {
            float v = values[i];
            if (held == k && !(v > best[k - 1])) {
                continue;
            }
            int j = held < k ? held++ : k - 1;
            while (j > 0 && v > best[j - 1]) {
                best[j] = best[j - 1];
                indices[at + j] = indices[at + j - 1];
                j--;
            }
            best[j] = v;
            indices[at + j] = i;
        }
    }
}
