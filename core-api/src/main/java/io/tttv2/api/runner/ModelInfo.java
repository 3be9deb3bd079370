package io.tttv2.api.runner;

import io.tttv2.api.kv.KvCacheSpec;
import java.util.List;

/**
 * What a caller needs to know of a loaded model.
 *
 * @param architecture      HF architecture, e.g. {@code LlamaForCausalLM}
 * @param vocabSize         logits per token
 * @param hidden            model width
 * @param layers            decoder layers
 * @param maxSequenceLength positions the model supports
 * @param eosTokenIds       tokens that end generation
 * @param kvCache           the (decoder's) KV cache shape per token (blocks = 1; scale with {@link ModelRunner#allocateKvCache}); null for an encoder
 */
public record ModelInfo(String architecture, int vocabSize, int hidden, int layers, int maxSequenceLength,
                        List<Integer> eosTokenIds, KvCacheSpec kvCache) {
}
