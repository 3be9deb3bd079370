package io.tttv2.models.kit;

import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.LatentAttentionSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.tensor.DType;

/**
 * One decoder layer: how its parts are wired and what each part is. Layers of one model may differ (Gemma 2
 * alternates sliding and full attention, Gemma 3 gives each kind of layer its own RoPE base). Weights are read
 * under the kit's names ({@code model.layers.N.input_layernorm}, {@code .self_attn}, {@code .mlp}, …), which a
 * {@link WeightMapping} maps onto the checkpoint's. A norm the pattern does not use is null.
 *
 * @param pattern              the residual wiring
 * @param inputNorm            {@code input_layernorm} (PRE_NORM, PRE_AND_POST_NORM, PARALLEL)
 * @param attention            {@code self_attn} as standard attention, or null when latent
 * @param latentAttention      {@code self_attn} as multi-head latent attention (DeepSeek), or null; exactly one of
 *                             the two is given
 * @param rotary               the attention's rotary positions (of qkRopeHeadDim for latent attention), or null
 *                             for none (GPT-2); layers with equal specs share one rotary
 * @param postAttentionNorm    {@code post_attention_layernorm} (every pattern)
 * @param preFeedforwardNorm   {@code pre_feedforward_layernorm} (PRE_AND_POST_NORM)
 * @param postFeedforwardNorm  {@code post_feedforward_layernorm} (PRE_AND_POST_NORM, POST_NORM)
 * @param mlp                  {@code mlp}, a dense MLP; null when the layer's mlp is a mixture of experts
 * @param moe                  {@code mlp}, a mixture of experts ({@code mlp.gate}, {@code mlp.experts.N},
 *                             {@code mlp.shared_expert}, {@code mlp.shared_expert_gate}); null for a dense MLP
 */
public record LayerPlan(ResidualPattern pattern, NormSpec inputNorm, AttentionSpec attention,
                        LatentAttentionSpec latentAttention, RotarySpec rotary,
                        NormSpec postAttentionNorm, NormSpec preFeedforwardNorm, NormSpec postFeedforwardNorm,
                        MlpSpec mlp, MoeSpec moe) {

    public LayerPlan {
        if (pattern == null || (attention == null) == (latentAttention == null) || (mlp == null) == (moe == null)) {
            throw new IllegalArgumentException("a layer needs a residual pattern, one attention (standard or latent)"
                    + " and either an MLP or a mixture of experts");
        }
        requireNorm(pattern, "input_layernorm", inputNorm, pattern != ResidualPattern.POST_NORM);
        requireNorm(pattern, "post_attention_layernorm", postAttentionNorm, true);
        requireNorm(pattern, "pre_feedforward_layernorm", preFeedforwardNorm, pattern == ResidualPattern.PRE_AND_POST_NORM);
        requireNorm(pattern, "post_feedforward_layernorm", postFeedforwardNorm,
                pattern == ResidualPattern.PRE_AND_POST_NORM || pattern == ResidualPattern.POST_NORM);
        if (attention != null && rotary != null && rotary.headDim() != attention.headDim()) {
            throw new IllegalArgumentException("rotary head dim " + rotary.headDim() + " differs from the attention's "
                    + attention.headDim());
        }
        if (latentAttention != null && (rotary == null || rotary.headDim() != latentAttention.qkRopeHeadDim())) {
            throw new IllegalArgumentException("latent attention needs a rotary of its qk_rope_head_dim "
                    + latentAttention.qkRopeHeadDim() + ", found " + (rotary == null ? "none" : rotary.headDim()));
        }
    }

    /** A layer with standard attention, its norms given one by one. */
    public LayerPlan(ResidualPattern pattern, NormSpec inputNorm, AttentionSpec attention, RotarySpec rotary,
                     NormSpec postAttentionNorm, NormSpec preFeedforwardNorm, NormSpec postFeedforwardNorm,
                     MlpSpec mlp, MoeSpec moe) {
        this(pattern, inputNorm, attention, null, rotary, postAttentionNorm, preFeedforwardNorm, postFeedforwardNorm,
                mlp, moe);
    }

    /**
     * A pre-norm layer with multi-head latent attention (DeepSeek-V2/V3) and a dense MLP; {@link #withMoe} makes
     * its mlp a mixture of experts.
     */
    public static LayerPlan latent(NormSpec norm, LatentAttentionSpec attention, RotarySpec rotary, MlpSpec mlp) {
        return new LayerPlan(ResidualPattern.PRE_NORM, norm, null, attention, rotary, norm, null, null, mlp, null);
    }

    /** The attention backend this layer's attention calls. */
    public AttentionBackendSpec backend() {
        return attention != null ? AttentionBackendSpec.causal(attention) : AttentionBackendSpec.latent(latentAttention);
    }

    /**
     * What this layer caches per token, for a cache of {@code layers} layers (one block, F32): per-head keys and
     * values alike for standard attention, one latent entry (no separate values) for latent attention.
     */
    public KvCacheSpec kvCache(int layers) {
        return attention != null
                ? KvCacheSpec.forHeads(layers, attention.kvHeads(), attention.headDim(), KvCacheSpec.DEFAULT_BLOCK_SIZE,
                        1, DType.F32)
                : new KvCacheSpec(layers, 1, latentAttention.cacheWidth(), 0, KvCacheSpec.DEFAULT_BLOCK_SIZE, 1,
                        DType.F32);
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
        return new LayerPlan(pattern, inputNorm, attention, latentAttention, rotary, postAttentionNorm,
                preFeedforwardNorm, postFeedforwardNorm, null, experts);
    }

    /** This layer with another attention (e.g. its window). */
    public LayerPlan withAttention(AttentionSpec other) {
        return new LayerPlan(pattern, inputNorm, other, null, rotary, postAttentionNorm, preFeedforwardNorm,
                postFeedforwardNorm, mlp, moe);
    }

    private static void requireNorm(ResidualPattern pattern, String name, NormSpec norm, boolean needed) {
        if (needed != (norm != null)) {
            throw new IllegalArgumentException("a " + pattern + " layer " + (needed ? "needs" : "has no") + " " + name);
        }
    }
}
