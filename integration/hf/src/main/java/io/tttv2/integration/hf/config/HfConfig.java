package io.tttv2.integration.hf.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.tttv2.integration.hf.gguf.GgufFile;
import io.tttv2.integration.hf.gguf.GgufModel;
import io.tttv2.integration.hf.safetensors.CheckpointFormatException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A HuggingFace {@code config.json}: the keys most decoder (and encoder) architectures share, typed and with
 * transformers' defaults, under transformers' names. Keys a single family uses stay in {@link #json()} /
 * {@link #raw()}. Unknown keys are ignored.
 *
 * <p>Derived values follow transformers: {@code num_key_value_heads} falls back to {@code num_attention_heads}
 * (no GQA), {@code head_dim} to {@code hidden_size / num_attention_heads}, the activation is
 * {@code hidden_activation} when a config has it (Gemma) and {@code hidden_act} otherwise, and
 * {@code eos_token_id} may be one id or several. GPT-2 and T5 name the common keys their own way
 * ({@code n_embd}, {@code d_model}, …): those are read as the common ones. RoPE, in whichever style the file
 * uses, is normalised into one {@link RopeParameters} per attention layer type.
 *
 * @param file                  the config.json read
 * @param architectures         {@code architectures}, e.g. {@code [LlamaForCausalLM]}; empty if absent
 * @param modelType             {@code model_type}, e.g. {@code llama}, {@code gemma3_text}
 * @param vocabSize             {@code vocab_size}
 * @param hiddenSize            {@code hidden_size}
 * @param intermediateSize      {@code intermediate_size} (the MLP's inner width)
 * @param numHiddenLayers       {@code num_hidden_layers}
 * @param numAttentionHeads     {@code num_attention_heads}
 * @param numKeyValueHeads      {@code num_key_value_heads}, or {@code num_attention_heads} if absent
 * @param headDim               {@code head_dim}, or {@code hidden_size / num_attention_heads} if absent or null
 * @param hiddenAct             {@code hidden_activation} or {@code hidden_act} ({@code silu}, {@code gelu_pytorch_tanh}, …)
 * @param rmsNormEps            {@code rms_norm_eps}
 * @param layerNormEps          {@code layer_norm_eps}
 * @param maxPositionEmbeddings {@code max_position_embeddings}
 * @param tieWordEmbeddings     {@code tie_word_embeddings}; transformers' base default (true) if absent
 * @param attentionBias         {@code attention_bias} (false if absent)
 * @param mlpBias               {@code mlp_bias} (false if absent)
 * @param slidingWindow         {@code sliding_window}, empty if absent or null
 * @param useSlidingWindow      {@code use_sliding_window} (Qwen2; false if absent)
 * @param maxWindowLayers       {@code max_window_layers} (Qwen2)
 * @param layerTypes            {@code layer_types} ({@code full_attention}, {@code sliding_attention}, …), one per
 *                              layer; empty if absent
 * @param bosTokenId            {@code bos_token_id}
 * @param eosTokenIds           {@code eos_token_id}, one or several ids; empty if absent or null
 * @param padTokenId            {@code pad_token_id}
 * @param dtype                 {@code dtype} (transformers 5) or {@code torch_dtype}: the dtype weights were saved in
 * @param partialRotaryFactor   fraction of {@code head_dim} that is rotated (that of the full-attention RoPE, else 1)
 * @param queryPreAttnScalar    {@code query_pre_attn_scalar} (Gemma 2/3: scores scale by its −½ power)
 * @param attnLogitSoftcapping  {@code attn_logit_softcapping}
 * @param finalLogitSoftcapping {@code final_logit_softcapping}
 * @param ropeParameters        layer type → RoPE parameters; empty if the config states no RoPE
 * @param json                  the whole file, for keys this record does not name
 */
@ProviderType
public record HfConfig(
        Path file,
        List<String> architectures,
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        Optional<String> hiddenAct,
        Optional<Double> rmsNormEps,
        Optional<Double> layerNormEps,
        Optional<Integer> maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        boolean mlpBias,
        Optional<Integer> slidingWindow,
        boolean useSlidingWindow,
        Optional<Integer> maxWindowLayers,
        List<String> layerTypes,
        Optional<Integer> bosTokenId,
        List<Integer> eosTokenIds,
        Optional<Integer> padTokenId,
        Optional<String> dtype,
        double partialRotaryFactor,
        Optional<Double> queryPreAttnScalar,
        Optional<Double> attnLogitSoftcapping,
        Optional<Double> finalLogitSoftcapping,
        Map<String, RopeParameters> ropeParameters,
        ConfigJson json) {

    /** The layer type of every layer of a config without {@code layer_types}. */
    public static final String FULL_ATTENTION = RopeParametersReader.FULL_ATTENTION;
    public static final String SLIDING_ATTENTION = RopeParametersReader.SLIDING_ATTENTION;

    public HfConfig {
        architectures = List.copyOf(architectures);
        layerTypes = List.copyOf(layerTypes);
        eosTokenIds = List.copyOf(eosTokenIds);
        ropeParameters = Collections.unmodifiableMap(new LinkedHashMap<>(ropeParameters));
    }

    /**
     * Reads and checks a config.json.
     *
     * @throws ConfigFormatException naming the file and key: {@code config.json: missing required key 'hidden_size'}
     */
    public static HfConfig read(Path configJson) {
        return HfConfigReader.read(ConfigJson.read(configJson));
    }

    /**
     * The config of a model: {@code model/config.json} for a checkpoint folder, or for a file (a GGUF model file;
     * any other file is refused in one line by the GGUF reader) the config.json its metadata describes
     * ({@code file()} is then that file).
     *
     * @throws ConfigFormatException naming the file and key
     */
    public static HfConfig forModel(Path model) {
        if (!java.nio.file.Files.isRegularFile(model)) {
            return read(model.resolve("config.json"));
        }
        try {
            return HfConfigReader.read(ConfigJson.of(model, GgufModel.config(model)));
        } catch (CheckpointFormatException e) {
            throw new ConfigFormatException(e.getMessage(), e);
        }
    }

    /** The raw JSON tree, for model-specific keys. */
    public JsonNode raw() {
        return json.raw();
    }

    /**
     * The RoPE parameters of layers of {@code layerType} ({@link #FULL_ATTENTION} for a config without layer
     * types). A config that states no RoPE at all gets transformers' default: plain RoPE with theta 10000.
     *
     * @throws ConfigFormatException if RoPE is given per layer type and not for this one
     */
    public RopeParameters rope(String layerType) {
        if (ropeParameters.isEmpty()) {
            return RopeParameters.plain(RopeParameters.DEFAULT_THETA, partialRotaryFactor);
        }
        RopeParameters p = ropeParameters.get(layerType);
        if (p == null) {
            throw json.error("rope_parameters", "expected parameters for layer type '" + layerType + "', found "
                    + String.join(", ", ropeParameters.keySet()));
        }
        return p;
    }

    /** The RoPE parameters of full-attention layers. */
    public RopeParameters rope() {
        return rope(FULL_ATTENTION);
    }

    /** The layer type of layer {@code layer}: from {@code layer_types}, else {@link #FULL_ATTENTION}. */
    public String layerType(int layer) {
        if (layer < 0 || layer >= numHiddenLayers) {
            throw new IndexOutOfBoundsException("layer " + layer + " of " + numHiddenLayers);
        }
        return layerTypes.isEmpty() ? FULL_ATTENTION : layerTypes.get(layer);
    }

    /** The id generation stops at first, if any. */
    public Optional<Integer> eosTokenId() {
        return eosTokenIds.stream().findFirst();
    }
}
