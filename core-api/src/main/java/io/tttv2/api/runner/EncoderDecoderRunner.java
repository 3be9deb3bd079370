package io.tttv2.api.runner;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.Tensor;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A loaded encoder–decoder (T5 and its relatives): encode a request's input once, then prefill and decode the
 * decoder as {@link ModelRunner} does, over a paged self-attention cache, each step also attending to the
 * request's {@link EncodedInput}. {@link #info()} describes the decoder (its layers, its KV cache shape). Not
 * thread-safe: one call at a time. Modules are rebound at the start of a call, as {@link ModelRunner}'s are.
 */
@ConsumerType
public interface EncoderDecoderRunner extends Runner {

    /** The token a decoder sequence starts with (config.json's {@code decoder_start_token_id}). */
    int decoderStartTokenId();

    /** A decoder self-attention KV cache of {@code blocks} blocks of {@code blockSize} tokens. */
    PagedKvCache allocateKvCache(int blocks, int blockSize);

    /**
     * Runs the encoder over one request's input and computes every cross-attention's keys and values.
     *
     * @param observer sees the encoder's hidden states, or null
     */
    EncodedInput encode(int[] inputIds, ForwardObserver observer);

    /** As {@link ModelRunner#prefill}, for decoder tokens; logits of each request's last token [requests, vocab]. */
    void prefill(PagedKvCache cache, List<DecoderRequest> requests, Tensor lastLogits);

    /** As {@link ModelRunner#decode}; {@code encoded[b]} is sequence b's encoded input. */
    void decode(PagedKvCache cache, int[] tokens, BlockTable[] tables, EncodedInput[] encoded, Tensor logits);
}
