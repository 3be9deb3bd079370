package io.tttv2.api.modules;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.Tensor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * softmax(scale · QKᵀ [+ mask, soft-cap]) V over the paged KV cache: the part of an attention that HF's
 * attention-function registry swaps ({@code sdpa}, {@code flash_attention_2}, …). The attention module owns
 * projections, norms, rotary and the cache write; a backend only reads the keys and values already written.
 * Its choices (scale, causality, window, soft-cap) are bound at construction from its
 * {@link AttentionBackendSpec}.
 */
@ConsumerType
public interface AttentionBackend extends Module {

    /**
     * T queries of one sequence at positions {@code start .. start+T-1} against its cached keys and values
     * (positions {@code 0 .. start+T-1} written). q, out [T, heads, D].
     */
    void prefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start, Tensor out);

    /**
     * One query per sequence: row b is sequence b's token at {@code positions[b]}, its key and value written.
     * q, out [B, heads, D]; tables [B].
     */
    void decode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out);

    /**
     * The queries of a mixed step ({@link MixedStep}): row r is a token at {@code positions[r]} of the sequence
     * {@code tables[r]} and sees its positions {@code 0 .. positions[r]}, every key and value already written;
     * rows of one sequence are consecutive (variable query and key lengths per sequence). q, out [rows, heads, D].
     * This default attends each sequence's run of rows as a prefill from the run's first position.
     */
    default void step(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out) {
        MixedStep rows = new MixedStep(cache, tables, positions);
        for (int r = 0; r < rows.rows(); ) {
            int end = rows.runEnd(r);
            prefill(q.slice(0, r, end - r), cache, layer, tables[r], positions[r], out.slice(0, r, end - r));
            r = end;
        }
    }
}
