package io.tttv2.integration.hf.config;

import java.util.Map;

/**
 * The one place where other spellings of HuggingFace's common keys are mapped onto them: transformers'
 * per-model {@code attribute_map} (GPT-2 says {@code n_embd} for {@code hidden_size}, T5 {@code d_model}),
 * plus the activation and epsilon keys those models name their own way. Only consulted when the common key
 * itself is absent.
 */
final class KeyAliases {
    private static final Map<String, String> GPT2 = Map.of(
            "hidden_size", "n_embd",
            "max_position_embeddings", "n_positions",
            "num_attention_heads", "n_head",
            "num_hidden_layers", "n_layer",
            "intermediate_size", "n_inner",
            "hidden_act", "activation_function",
            "layer_norm_eps", "layer_norm_epsilon");

    private static final Map<String, String> T5 = Map.of(
            "hidden_size", "d_model",
            "num_attention_heads", "num_heads",
            "num_hidden_layers", "num_layers",
            "head_dim", "d_kv",
            "intermediate_size", "d_ff",
            "hidden_act", "dense_act_fn",
            "layer_norm_eps", "layer_norm_epsilon");

    private static final Map<String, Map<String, String>> BY_MODEL_TYPE = Map.of(
            "gpt2", GPT2,
            "t5", T5,
            "mt5", T5,
            "umt5", T5);

    private KeyAliases() {
    }

    /** The key to read for {@code common} in a config of {@code modelType}: the common key unless only its alias is there. */
    static String keyFor(ConfigJson json, String modelType, String common) {
        if (json.hasKey(common)) {
            return common;
        }
        String alias = BY_MODEL_TYPE.getOrDefault(modelType, Map.of()).get(common);
        return alias != null && json.hasKey(alias) ? alias : common;
    }

    /**
     * The intermediate size when the config leaves it out or null: GPT-2's MLP uses {@code 4 × n_embd} when
     * {@code n_inner} is null ({@code GPT2MLP}); other families must state it (0 means "no default").
     */
    static int defaultIntermediateSize(String modelType, int hiddenSize) {
        return modelType.equals("gpt2") ? Math.multiplyExact(4, hiddenSize) : 0;
    }
}
