package io.tttv2.models.llama;

import io.tttv2.api.modules.RopeScaling;
import io.tttv2.api.tensor.DType;
import java.util.List;

/**
 * What the Llama family reads from config.json, in HF's vocabulary, with the per-architecture
 * differences already resolved (biases, q/k norm, which layers slide).
 *
 * @param architecture      e.g. {@code Qwen2ForCausalLM}
 * @param vocabSize         {@code vocab_size}
 * @param hiddenSize        {@code hidden_size}
 * @param intermediateSize  {@code intermediate_size}
 * @param numHiddenLayers   {@code num_hidden_layers}
 * @param numAttentionHeads {@code num_attention_heads}
 * @param numKeyValueHeads  {@code num_key_value_heads} (defaults to the attention heads)
 * @param headDim           {@code head_dim} (defaults to hidden / heads)
 * @param hiddenAct         {@code hidden_act}
 * @param rmsNormEps        {@code rms_norm_eps}
 * @param maxPositionEmbeddings {@code max_position_embeddings}
 * @param tieWordEmbeddings {@code tie_word_embeddings}
 * @param qkvBias           q/k/v projections have biases
 * @param outputBias        o_proj has a bias
 * @param mlpBias           {@code mlp_bias}
 * @param qkNorm            per-head RMSNorm of q and k (Qwen3)
 * @param slidingWindows    per layer: 0 for full attention, else the window
 * @param rope              RoPE frequencies and scaling
 * @param partialRotaryFactor fraction of each head that rotates (1 for all)
 * @param eosTokenIds       {@code eos_token_id} as a list
 * @param parameterDType    {@code dtype}: what HF holds parameters and buffers in (BF16 rounds inv_freq)
 */
record LlamaFamilyConfig(String architecture, int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                         int numAttentionHeads, int numKeyValueHeads, int headDim, String hiddenAct, float rmsNormEps,
                         int maxPositionEmbeddings, boolean tieWordEmbeddings, boolean qkvBias, boolean outputBias,
                         boolean mlpBias, boolean qkNorm, int[] slidingWindows, RopeScaling rope,
                         double partialRotaryFactor, List<Integer> eosTokenIds, DType parameterDType) {
}
