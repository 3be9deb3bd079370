package io.tttv2.api.modules;

/**
 * A mixture-of-experts feed-forward block: {@code y = Σ_picked w_e · expert_e(x) (+ shared(x))}, each token
 * through the topK experts its router picks. Weights (HF's names, relative to the layer's {@code mlp}):
 * {@code gate.weight} [experts, hidden] (and {@code gate.e_score_correction_bias} [experts]),
 * {@code experts.N.{gate,up,down}_proj.weight} of each expert (an {@link MlpSpec} of {@code expert}),
 * the shared expert's own weights and, when gated, {@code shared_expert_gate.weight} [1, hidden]:
 * {@code shared(x) = sigmoid(x · gᵀ) · sharedExpert(x)} (Qwen2-MoE); ungated it is added as is (DeepSeek-V3).
 *
 * @param router     how experts are picked
 * @param expert     one routed expert (all alike)
 * @param shared     the shared expert, or null for none
 * @param sharedGate the shared expert's output is scaled by {@code sigmoid(shared_expert_gate(x))}
 */
public record MoeSpec(RouterSpec router, MlpSpec expert, MlpSpec shared, boolean sharedGate) {

    public MoeSpec {
        if (router == null || expert == null) {
            throw new IllegalArgumentException("a mixture of experts needs a router and an expert spec");
        }
        if (expert.hidden() != router.hidden() || (shared != null && shared.hidden() != router.hidden())) {
            throw new IllegalArgumentException("router, experts and shared expert must have one width, found "
                    + router.hidden() + ", " + expert.hidden() + (shared == null ? "" : ", " + shared.hidden()));
        }
        if (sharedGate && shared == null) {
            throw new IllegalArgumentException("a shared-expert gate needs a shared expert");
        }
    }

    /** Model width. */
    public int hidden() {
        return router.hidden();
    }

    /** Routed experts. */
    public int experts() {
        return router.experts();
    }
}
