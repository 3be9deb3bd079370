package io.tttv2.integration.hf.config;

import java.util.List;
import java.util.Optional;

/** Builds an {@link HfConfig} from a parsed config.json, applying transformers' fallbacks and checking values. */
final class HfConfigReader {
    private HfConfigReader() {
    }

    static HfConfig read(ConfigJson json) {
        String modelType = json.requireString("model_type");
        int hidden = positive(json, key(json, modelType, "hidden_size"));
        int layers = positive(json, key(json, modelType, "num_hidden_layers"));
        String headsKey = key(json, modelType, "num_attention_heads");
        int heads = positive(json, headsKey);
        int kvHeads = json.has("num_key_value_heads") ? positive(json, "num_key_value_heads") : heads;
        int headDim = headDim(json, modelType, hidden, heads, headsKey);
        int vocab = positive(json, "vocab_size");

        String intermediateKey = key(json, modelType, "intermediate_size");
        int defaultIntermediate = KeyAliases.defaultIntermediateSize(modelType, hidden);
        int intermediate = json.has(intermediateKey) || defaultIntermediate == 0
                ? positive(json, intermediateKey) : defaultIntermediate;

        List<String> layerTypes = json.stringList("layer_types");
        if (!layerTypes.isEmpty() && layerTypes.size() != layers) {
            throw json.error("layer_types", "expected " + layers + " entries (num_hidden_layers), found "
                    + layerTypes.size());
        }

        Optional<String> hiddenAct = json.optionalString("hidden_activation")
                .or(() -> json.optionalString(key(json, modelType, "hidden_act")));
        Optional<String> dtype = json.optionalString("dtype").or(() -> json.optionalString("torch_dtype"));

        var rope = RopeParametersReader.read(json, layerTypes);
        RopeParameters fullRope = rope.get(RopeParametersReader.FULL_ATTENTION);
        double partialRotary = fullRope != null ? fullRope.partialRotaryFactor()
                : rope.isEmpty() ? RopeParametersReader.topLevelPartialRotaryFactor(json)
                : rope.values().iterator().next().partialRotaryFactor();

        return new HfConfig(
                json.file(),
                json.stringList("architectures"),
                modelType,
                vocab,
                hidden,
                intermediate,
                layers,
                heads,
                kvHeads,
                headDim,
                hiddenAct,
                json.optionalDouble("rms_norm_eps"),
                json.optionalDouble(key(json, modelType, "layer_norm_eps")),
                maxPositions(json, key(json, modelType, "max_position_embeddings")),
                // PretrainedConfig's default; configs saved by transformers always state it
                json.optionalBoolean("tie_word_embeddings").orElse(true),
                json.optionalBoolean("attention_bias").orElse(false),
                json.optionalBoolean("mlp_bias").orElse(false),
                json.optionalInt("sliding_window"),
                json.optionalBoolean("use_sliding_window").orElse(false),
                json.optionalInt("max_window_layers"),
                layerTypes,
                json.optionalInt("bos_token_id"),
                json.intOrIntList("eos_token_id"),
                json.optionalInt("pad_token_id"),
                dtype,
                partialRotary,
                json.optionalDouble("query_pre_attn_scalar"),
                json.optionalDouble("attn_logit_softcapping"),
                json.optionalDouble("final_logit_softcapping"),
                rope,
                json);
    }

    private static String key(ConfigJson json, String modelType, String common) {
        return KeyAliases.keyFor(json, modelType, common);
    }

    private static int headDim(ConfigJson json, String modelType, int hidden, int heads, String headsKey) {
        String headDimKey = key(json, modelType, "head_dim");
        if (json.has(headDimKey)) {
            return positive(json, headDimKey);
        }
        if (hidden % heads != 0) {
            throw json.error(headDimKey, "is absent, and hidden_size " + hidden + " is not divisible by '" + headsKey
                    + "' " + heads + ": expected head_dim, found none");
        }
        return hidden / heads;
    }

    /**
     * The longest context accepted (README, "Limits"): above any released model (10M positions), and below
     * where tables sized by it (rotary cos/sin, KV cache blocks) overflow an int or a machine.
     */
    static final int MAX_POSITIONS = 1 << 24;

    private static Optional<Integer> maxPositions(ConfigJson json, String key) {
        Optional<Integer> v = json.optionalInt(key);
        if (v.isPresent() && (v.get() <= 0 || v.get() > MAX_POSITIONS)) {
            throw json.wrongType(key, "an integer in [1, " + MAX_POSITIONS + "]", json.raw().get(key));
        }
        return v;
    }

    /**
     * The largest size accepted for a dimension (vocabulary, hidden, heads, layers; README, "Limits"): above any
     * released model, and small enough that a product of two stays far from overflowing a long.
     */
    static final int MAX_SIZE = 1 << 24;

    private static int positive(ConfigJson json, String key) {
        int v = json.requireInt(key);
        if (v <= 0) {
            throw json.wrongType(key, "a positive integer", json.raw().get(key));
        }
        if (v > MAX_SIZE) {
            throw json.wrongType(key, "a positive integer of at most " + MAX_SIZE, json.raw().get(key));
        }
        return v;
    }
}
