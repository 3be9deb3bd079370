package io.tttv2.api.runner;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.Tensor;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A loaded decoder-only LM: the vLLM-style operations over a paged KV cache. Not thread-safe: one step at a time.
 *
 * <p>Runners whose modules come from the {@code io.tttv2.api.assembly.ModuleResolver} rebind at step
 * boundaries: at the start of a prefill or decode call, never inside one. If their assembly can no longer
 * be met, the call throws {@code io.tttv2.api.assembly.UnresolvedException} ("paused: no candidate for
 * ...") having done nothing (no table advanced, no cache written): the runner is paused, not broken, and
 * the same call succeeds once a candidate returns.
 */
@ConsumerType
public interface ModelRunner extends Runner {

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

    /**
     * One step over a mixed batch: the prompt chunks of sequences being prefilled and the single tokens of
     * sequences being decoded, each request's tokens going to positions {@code table.length() ..} of its own
     * sequence (reserving and advancing its table). Every layer's weights are read once for all the step's
     * tokens. Row r of {@code logits} [requests, vocab] receives the logits after request r's last token when
     * it {@linkplain StepRequest#wantsLogits() wants them}; other rows are left as they were. Each sequence
     * appears at most once. This default runs the requests as one {@link #prefill}, which computes every row.
     */
    default void step(PagedKvCache cache, List<StepRequest> requests, Tensor logits) {
        prefill(cache, requests.stream().map(r -> new PrefillRequest(r.tokens(), r.table(), null)).toList(), logits);
    }
}
