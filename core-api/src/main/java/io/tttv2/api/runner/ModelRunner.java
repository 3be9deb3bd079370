package io.tttv2.api.runner;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.api.modules.Module;
import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/** A loaded model: the vLLM-style operations over a paged KV cache. Not thread-safe: one step at a time. */
@ConsumerType
public interface ModelRunner extends AutoCloseable {

    ModelInfo info();

    /** A KV cache of {@code blocks} blocks of {@code blockSize} tokens for this model. */
    PagedKvCache allocateKvCache(int blocks, int blockSize);

    /**
     * Prefills each request (reserving its blocks, writing its keys and values, advancing its table) and
     * writes the logits of each request's last token into {@code lastLogits} [requests, vocab].
     */
    void prefill(PagedKvCache cache, List<PrefillRequest> requests, Tensor lastLogits);

    /**
     * One step for B sequences: {@code tokens[b]} goes to position {@code tables[b].length()} of sequence b
     * (reserving and advancing its table); logits [B, vocab].
     */
    void decode(PagedKvCache cache, int[] tokens, BlockTable[] tables, Tensor logits);

    /** Every module of the model as a tree, for dumps: path → module (HF paths, e.g. model.layers.0.self_attn). */
    Map<String, Module> modules();

    @Override
    void close();
}
