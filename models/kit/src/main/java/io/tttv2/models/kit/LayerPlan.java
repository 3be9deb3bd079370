package io.tttv2.models.kit;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;

/**
 * One decoder layer: how its parts are wired and what each part is. Layers of one model may differ (Gemma 2
 * alternates sliding and full attention, Gemma 3 gives each kind of layer its own RoPE base). Weights are read
 * under the kit's names ({@code model.layers.N.input_layernorm}, {@code .self_attn}, {@code .mlp}, …), which a
 * {@link WeightMapping} maps onto the checkpoint's. A norm the pattern does not use is null.
 *
 * @param pattern              the residual wiring
 * @param inputNorm            {@code input_layernorm} (PRE_NORM, PRE_AND_POST_NORM, PARALLEL)
 * @param attention            {@code self_attn}
 * @param rotary               the attention's rotary positions, or null for none (GPT-2); layers with equal
 *                             specs share one rotary
 * @param postAttentionNorm    {@code post_attention_layernorm} (every pattern)
 * @param preFeedforwardNorm   {@code pre_feedforward_layernorm} (PRE_AND_POST_NORM)
 * @param postFeedforwardNorm  {@code post_feedforward_layernorm} (PRE_AND_POST_NORM, POST_NORM)
 * @param mlp                  {@code mlp}, a dense MLP; null when the layer's mlp is a mixture of experts
 * @param moe                  {@code mlp}, a mixture of experts ({@code mlp.gate}, {@code mlp.experts.N},
 *                             {@code mlp.shared_expert}, {@code mlp.shared_expert_gate}); null for a dense MLP
 */
public record LayerPlan(ResidualPattern pattern, NormSpec inputNorm, AttentionSpec attention, RotarySpec rotary,
                        NormSpec postAttentionNorm, NormSpec preFeedforwardNorm, NormSpec postFeedforwardNorm,
                        MlpSpec mlp, MoeSpec moe) {

    public LayerPlan {
        if (pattern == null || attention == null || (mlp == null) == (moe == null)) {
            throw new IllegalArgumentException("a layer needs a residual pattern, an attention and either an MLP or"
                    + " a mixture of experts");
        }
        requireNorm(pattern, "input_layernorm", inputNorm, pattern != ResidualPattern.POST_NORM);
        requireNorm(pattern, "post_attention_layernorm", postAttentionNorm, true);
        requireNorm(pattern, "pre_feedforward_layernorm", preFeedforwardNorm, pattern == ResidualPattern.PRE_AND_POST_NORM);
        requireNorm(pattern, "post_feedforward_layernorm", postFeedforwardNorm,
                pattern == ResidualPattern.PRE_AND_POST_NORM || pattern == ResidualPattern.POST_NORM);
        if (rotary != null && rotary.headDim() != attention.headDim()) {
            throw new IllegalArgumentException("rotary head dim " + rotary.headDim() + " differs from the attention's "
                    + attention.headDim());
        }
    }

    /**
     * A layer of {@code pattern} whose norms are all {@code norm}: the common case, where the pattern alone says
     * which norms exist.
     */
    public static LayerPlan of(ResidualPattern pattern, NormSpec norm, AttentionSpec attention, RotarySpec rotary,
                               MlpSpec mlp) {
        return new LayerPlan(pattern,
                pattern != ResidualPattern.POST_NORM ? norm : null,
                attention, rotary, norm,
                pattern == ResidualPattern.PRE_AND_POST_NORM ? norm : null,
                pattern == ResidualPattern.PRE_AND_POST_NORM || pattern == ResidualPattern.POST_NORM ? norm : null,
                mlp, null);
    }

    /** This layer with a mixture of experts as its {@code mlp} instead of a dense MLP. */
    public LayerPlan withMoe(MoeSpec experts) {
        return new LayerPlan(pattern, inputNorm, attention, rotary, postAttentionNorm, preFeedforwardNorm,
                postFeedforwardNorm, null, experts);
    }

    /** This layer with another attention (e.g. its window). */
    public LayerPlan withAttention(AttentionSpec other) {
        return new LayerPlan(pattern, inputNorm, other, rotary, postAttentionNorm, preFeedforwardNorm,
                postFeedforwardNorm, mlp, moe);
    }

    private static void requireNorm(ResidualPattern pattern, String name, NormSpec norm, boolean needed) {
        if (needed != (norm != null)) {
            throw new IllegalArgumentException("a " + pattern + " layer " + (needed ? "needs" : "has no") + " " + name);
        }
    }
}
