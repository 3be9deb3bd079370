package io.tttv2.api.modules;

/**
 * How a mixture-of-experts layer picks the experts of each token from the router's logits
 * ({@code gate.weight} [experts, hidden]):
 * <pre>
 * SOFTMAX (Mixtral, Qwen2-MoE): s = softmax(logits); pick the topK largest s; weights = s of the picked
 * SIGMOID (DeepSeek-V3):        s = sigmoid(logits); c = s + e_score_correction_bias (selection only);
 *                               groups ranked by the sum of their two largest c, the best topKGroups kept,
 *                               c of the others set to 0; pick the topK largest c; weights = s of the picked
 * then, if normalize: weights /= sum(weights) (+ 1e-20 for SIGMOID), and weights *= scalingFactor.
 * </pre>
 *
 * @param hidden         model width
 * @param experts        routed experts
 * @param topK           experts per token (1 ≤ topK ≤ experts)
 * @param scoring        softmax or sigmoid scores
 * @param normalize      renormalise the picked weights to sum to one ({@code norm_topk_prob}; Mixtral always)
 * @param groups         expert groups ({@code n_group}, dividing experts; 1 when ungrouped)
 * @param topKGroups     groups kept per token ({@code topk_group}, 1 ≤ topKGroups ≤ groups)
 * @param correctionBias the router has {@code e_score_correction_bias} [experts], added for selection only
 * @param scalingFactor  {@code routed_scaling_factor} (1 for Mixtral and Qwen2-MoE)
 */
public record RouterSpec(int hidden, int experts, int topK, Scoring scoring, boolean normalize, int groups,
                         int topKGroups, boolean correctionBias, float scalingFactor) {

    /** The score function over the router logits. */
    public enum Scoring { SOFTMAX, SIGMOID }

    public RouterSpec {
        if (hidden <= 0 || experts <= 0) {
            throw new IllegalArgumentException("router needs a positive width and expert count, found " + hidden
                    + " and " + experts);
        }
        if (topK < 1 || topK > experts) {
            throw new IllegalArgumentException("router picks " + topK + " experts per token, expected 1 to the "
                    + experts + " experts");
        }
        if (scoring == null) {
            throw new IllegalArgumentException("router needs a scoring function");
        }
        if (groups < 1 || experts % groups != 0) {
            throw new IllegalArgumentException("router has " + experts + " experts in " + groups
                    + " groups, expected a group count that divides the experts");
        }
        if (topKGroups < 1 || topKGroups > groups) {
            throw new IllegalArgumentException("router keeps " + topKGroups + " of " + groups
                    + " groups, expected 1 to " + groups);
        }
        if (topK > topKGroups * (experts / groups)) {
            throw new IllegalArgumentException("router picks " + topK + " experts from " + topKGroups
                    + " groups of " + (experts / groups) + ", fewer than it picks");
        }
        if (!(scalingFactor > 0) || Float.isInfinite(scalingFactor)) {
            throw new IllegalArgumentException("router scaling factor must be positive and finite, found " + scalingFactor);
        }
    }

    /** Softmax top-k, ungrouped, unscaled (Mixtral with normalize, Qwen2-MoE with norm_topk_prob). */
    public static RouterSpec softmax(int hidden, int experts, int topK, boolean normalize) {
        return new RouterSpec(hidden, experts, topK, Scoring.SOFTMAX, normalize, 1, 1, false, 1f);
    }

    /** Experts in one group. */
    public int groupSize() {
        return experts / groups;
    }
}
