package io.tttv2.models.gptneox;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.RotarySpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.ops.RotaryStyle;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.integration.hf.config.RopeParameters;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * config.json → the plan of a GPT-NeoX model (transformers' {@code GPTNeoXForCausalLM}), and GPT-NeoX's tensor
 * names for the kit's. Keys absent from config.json take {@code GPTNeoXConfig}'s defaults, several of which
 * differ from the common ones {@link HfConfig} applies.
 */
final class GptNeoxPlans {

    static final String ARCHITECTURE = "GPTNeoXForCausalLM";

    /** {@code GPTNeoXConfig}: a quarter of each head rotates unless {@code partial_rotary_factor} / {@code rotary_pct} says otherwise. */
    private static final double DEFAULT_PARTIAL_ROTARY = 0.25;

    private GptNeoxPlans() {
    }

    static DecoderModel of(HfConfig c) {
        ConfigJson json = c.json();
        int hidden = c.hiddenSize();
        int heads = c.numAttentionHeads();
        if (hidden % heads != 0) {      // GPT-NeoX has no head_dim key: a head is hidden / heads
            throw new ModelLoadException(c.file().getFileName() + ": hidden size " + hidden
                    + " is not divisible by the " + heads + " attention heads");
        }
        int headDim = hidden / heads;
        // differs from Llama: LayerNorm with bias; a plain MLP (exact GELU by default) whose projections always
        // have biases; q/k/v and dense biased unless attention_bias is false; no GQA
        NormSpec norm = HfPlans.layerNorm(c, hidden);
        boolean bias = json.optionalBoolean("attention_bias").orElse(true);
        AttentionSpec attention = new AttentionSpec(hidden, heads, heads, headDim, bias, bias, AttentionSpec.QkNorm.NONE,
                null, 0, 0f, (float) (1.0 / Math.sqrt(headDim)));
        MlpSpec mlp = new MlpSpec(hidden, c.intermediateSize(), Activation.of(c.hiddenAct().orElse("gelu")), false, true);
        // differs from Llama: x + attn(ln1(x)) + mlp(ln2(x)) unless use_parallel_residual is false
        ResidualPattern pattern = json.optionalBoolean("use_parallel_residual").orElse(true)
                ? ResidualPattern.PARALLEL : ResidualPattern.PRE_NORM;
        RotarySpec rotary = rotary(c, headDim);
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            layers.add(LayerPlan.of(pattern, norm, attention, rotary, mlp));
        }
        // differs from Llama: the head (embed_out) is untied unless tie_word_embeddings says so
        boolean tied = json.optionalBoolean("tie_word_embeddings").orElse(false);
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, new EmbeddingSpec(c.vocabSize(), hidden, 1f), null, layers,
                norm, new LmHeadSpec(hidden, c.vocabSize(), 0f), tied, HfPlans.maxPositions(c), c.eosTokenIds(),
                HfPlans.parameterDType(c));
        return new DecoderModel(plan, mapping(heads));
    }

    /**
     * Rotate-half RoPE on the first {@code int(head_dim × partial_rotary_factor)} elements of each head. An odd
     * count is refused by the spec: HF would then rotate one element more than that count, at frequencies
     * computed for the odd count.
     */
    private static RotarySpec rotary(HfConfig c, int headDim) {
        RopeParameters p = c.rope();
        ConfigJson json = c.json();
        boolean stated = json.has("partial_rotary_factor") || json.has("rotary_pct")
                || json.optionalObject("rope_parameters").map(r -> r.has("partial_rotary_factor")).orElse(false);
        int rotaryDim = (int) (headDim * (stated ? p.partialRotaryFactor() : DEFAULT_PARTIAL_ROTARY));
        return new RotarySpec(headDim, rotaryDim, HfPlans.rope(c, p), HfPlans.maxPositions(c), RotaryStyle.HALF,
                HfPlans.parameterDType(c));
    }

    /**
     * GPT-NeoX's names: {@code gpt_neox.layers.N.attention.query_key_value} holds q, k and v head by head;
     * {@code attention.dense} is o_proj, {@code mlp.dense_h_to_4h} / {@code dense_4h_to_h} up and down,
     * {@code embed_out} the head. Old checkpoints carry the causal-mask and inv_freq buffers: unused.
     */
    static WeightMapping mapping(int heads) {
        return WeightMapping.builder()
                .basePrefix("gpt_neox")
                .rename("model.embed_tokens", "gpt_neox.embed_in")
                .rename("model.rotary_emb", "gpt_neox.rotary_emb")
                .rename("model.layers.*", "gpt_neox.layers.*")             // the norms keep their names
                .rename("model.layers.*.self_attn", "gpt_neox.layers.*.attention")
                .splitInterleaved("gpt_neox.layers.*.attention.query_key_value", heads,
                        "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.k_proj",
                        "model.layers.*.self_attn.v_proj")
                .rename("model.layers.*.self_attn.o_proj", "gpt_neox.layers.*.attention.dense")
                .rename("model.layers.*.mlp.up_proj", "gpt_neox.layers.*.mlp.dense_h_to_4h")
                .rename("model.layers.*.mlp.down_proj", "gpt_neox.layers.*.mlp.dense_4h_to_h")
                .rename("model.norm", "gpt_neox.final_layer_norm")
                .rename("lm_head", "embed_out")
                .ignore("gpt_neox.layers.*.attention.bias")
                .ignore("gpt_neox.layers.*.attention.masked_bias")
                .ignore("gpt_neox.layers.*.attention.rotary_emb.inv_freq")
                .build();
    }
}
