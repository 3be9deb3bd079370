package io.tttv2.models.gpt2;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.modules.DecoderLayerSpec.ResidualPattern;
import io.tttv2.api.modules.EmbeddingSpec;
import io.tttv2.api.modules.LmHeadSpec;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.NormSpec;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.ops.Activation;
import io.tttv2.api.runner.ModelLoadException;
import io.tttv2.integration.hf.config.ConfigJson;
import io.tttv2.integration.hf.config.HfConfig;
import io.tttv2.models.kit.DecoderModel;
import io.tttv2.models.kit.DecoderPlan;
import io.tttv2.models.kit.HfPlans;
import io.tttv2.models.kit.LayerPlan;
import io.tttv2.models.kit.WeightMapping;
import java.util.ArrayList;
import java.util.List;

/**
 * config.json → the plan of a GPT-2 model (transformers' {@code GPT2LMHeadModel}), and GPT-2's tensor names for
 * the kit's. {@link HfConfig} already reads GPT-2's own spellings ({@code n_embd}, {@code n_layer}, {@code n_head},
 * {@code n_positions}, {@code n_inner} (null: 4 × n_embd), {@code activation_function}, {@code layer_norm_epsilon}).
 */
final class Gpt2Plans {

    static final String ARCHITECTURE = "GPT2LMHeadModel";

    private Gpt2Plans() {
    }

    static DecoderModel of(HfConfig c) {
        ConfigJson json = c.json();
        if (json.optionalBoolean("add_cross_attention").orElse(false)) {
            throw new ModelLoadException(c.file().getFileName() + ": key 'add_cross_attention' expected false"
                    + " (a decoder-only GPT-2), found true");
        }
        int hidden = c.hiddenSize();
        int heads = c.numAttentionHeads();
        if (hidden % heads != 0) {      // GPT-2 has no head_dim key: a head is hidden / heads
            throw new ModelLoadException(c.file().getFileName() + ": hidden size " + hidden
                    + " is not divisible by the " + heads + " attention heads");
        }
        int headDim = hidden / heads;
        // differs from Llama: LayerNorm with bias; a plain MLP (gelu_new by default) with biases; learned absolute
        // positions added to the embeddings, no rotary; q/k/v and c_proj always biased; no GQA
        NormSpec norm = HfPlans.layerNorm(c, hidden);
        MlpSpec mlp = new MlpSpec(hidden, c.intermediateSize(), Activation.of(c.hiddenAct().orElse("gelu_new")), false,
                true);
        boolean scaled = json.optionalBoolean("scale_attn_weights").orElse(true);
        boolean byLayer = json.optionalBoolean("scale_attn_by_inverse_layer_idx").orElse(false);
        // reorder_and_upcast_attn only moves the scale into an fp32 q·k: the same numbers in fp32 compute
        List<LayerPlan> layers = new ArrayList<>();
        for (int l = 0; l < c.numHiddenLayers(); l++) {
            double scaling = (scaled ? 1.0 / Math.sqrt(headDim) : 1.0) / (byLayer ? l + 1 : 1);
            AttentionSpec attention = new AttentionSpec(hidden, heads, heads, headDim, true, true,
                    AttentionSpec.QkNorm.NONE, null, 0, 0f, (float) scaling);
            layers.add(LayerPlan.of(ResidualPattern.PRE_NORM, norm, attention, null, mlp));
        }
        int positions = HfPlans.maxPositions(c);
        DecoderPlan plan = new DecoderPlan(ARCHITECTURE, new EmbeddingSpec(c.vocabSize(), hidden, 1f),
                new PositionEmbeddingSpec(positions, hidden), layers, norm, new LmHeadSpec(hidden, c.vocabSize(), 0f),
                c.tieWordEmbeddings(), positions, c.eosTokenIds(), HfPlans.parameterDType(c));
        return new DecoderModel(plan, MAPPING);
    }

    /**
     * GPT-2's names: {@code transformer.h.N} with {@code ln_1}, {@code attn.c_attn} (q, k, v one after the other),
     * {@code attn.c_proj}, {@code ln_2}, {@code mlp.c_fc}, {@code mlp.c_proj}; every Conv1D weight is stored
     * [in, out]. Hub checkpoints saved from GPT2Model lack the {@code transformer.} prefix, and older ones carry
     * the causal-mask buffers {@code attn.bias} and {@code attn.masked_bias}: unused.
     */
    static final WeightMapping MAPPING = WeightMapping.builder()
            .basePrefix("transformer")
            .rename("model.embed_tokens", "transformer.wte")
            .rename("model.embed_positions", "transformer.wpe")
            .rename("model.layers.*", "transformer.h.*")
            .rename("model.layers.*.input_layernorm", "transformer.h.*.ln_1")
            .rename("model.layers.*.self_attn", "transformer.h.*.attn")
            .split("transformer.h.*.attn.c_attn", "model.layers.*.self_attn.q_proj", "model.layers.*.self_attn.k_proj",
                    "model.layers.*.self_attn.v_proj")
            .rename("model.layers.*.self_attn.o_proj", "transformer.h.*.attn.c_proj")
            .rename("model.layers.*.post_attention_layernorm", "transformer.h.*.ln_2")
            .rename("model.layers.*.mlp.up_proj", "transformer.h.*.mlp.c_fc")
            .rename("model.layers.*.mlp.down_proj", "transformer.h.*.mlp.c_proj")
            .rename("model.norm", "transformer.ln_f")
            .transpose("transformer.h.*.attn.c_attn")
            .transpose("transformer.h.*.attn.c_proj")
            .transpose("transformer.h.*.mlp.c_fc")
            .transpose("transformer.h.*.mlp.c_proj")
            .ignore("transformer.h.*.attn.bias")
            .ignore("transformer.h.*.attn.masked_bias")
            .build();
}
