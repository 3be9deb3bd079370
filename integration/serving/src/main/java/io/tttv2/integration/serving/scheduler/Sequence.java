package io.tttv2.integration.serving.scheduler;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.integration.generation.Sampler;
import io.tttv2.integration.generation.StopStrings;
import io.tttv2.integration.tokenizers.StreamingDecoder;
import java.util.Arrays;
import java.util.function.IntUnaryOperator;

/**
 * One request inside the scheduler. Its tokens are the prompt followed by what was sampled; the KV cache holds
 * the first {@code table.length()} of them. Prefill and decode are one rule: feed the tokens the cache lacks
 * (a chunk at a time); once the cache holds all but the last sampled token, a step feeds that one (a decode);
 * whenever the cache holds every token, the logits of the last give the next token. Preemption releases the
 * table and the same rule recomputes prompt and output. Touched only by the step thread, except
 * {@link #cancel()}.
 */
final class Sequence {

    final SequenceRequest request;
    final Sampler sampler;
    final StreamingDecoder decoder;       // primed with the prompt, so the first piece is spaced as in context
    final StopStrings stops;
    private final int[] stopIds;          // the request's stop tokens and the model's EOS ids, unboxed: checked every token
    final int promptLength;
    final long submittedNanos;
    private int[] tokens;                 // [capacity] prompt, then sampled tokens; first `count` used
    private int count;
    private final StringBuilder text = new StringBuilder();
    BlockTable table;                     // null while waiting
    boolean tailShared;                   // the block its next token goes to is shared: writing copies it (one block more)
    long lastTokenNanos;
    private volatile boolean cancelled;

    Sequence(SequenceRequest request, Sampler sampler, StreamingDecoder decoder, long submittedNanos, int[] stopIds) {
        this.request = request;
        this.stopIds = stopIds;
        this.sampler = sampler;
        this.decoder = decoder;
        this.stops = new StopStrings(request.params().stopStrings());
        this.promptLength = request.promptIds().length;
        this.tokens = Arrays.copyOf(request.promptIds(), promptLength + 16);
        this.count = promptLength;
        this.submittedNanos = submittedNanos;
    }

    /** Whether {@code token} ends this sequence: one of its stop tokens or the model's EOS ids. */
    boolean isStopToken(int token) {
        for (int id : stopIds) {
            if (id == token) {
                return true;
            }
        }
        return false;
    }

    /** Asks the scheduler to drop this request at its next step (any thread). */
    void cancel() {
        cancelled = true;
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Prompt plus sampled tokens. */
    int length() {
        return count;
    }

    int generated() {
        return count - promptLength;
    }

    int token(int i) {
        return tokens[i];
    }

    /** Tokens the cache holds. */
    int fed() {
        return table == null ? 0 : table.length();
    }

    /** True if the next step only feeds the last sampled token. */
    boolean decoding() {
        return generated() > 0 && fed() == count - 1;
    }

    /** Tokens still to prefill (prompt, or prompt and output after a preemption), excluding a decode. */
    int unfed() {
        return count - fed();
    }

    /** How many of the first {@code max} tokens this sequence has in common with {@code other}'s. */
    int commonPrefix(IntUnaryOperator other, int max) {
        int n = Math.min(max, count);
        int i = 0;
        while (i < n && tokens[i] == other.applyAsInt(i)) {
            i++;
        }
        return i;
    }

    /** A copy of its tokens (prompt and sampled). */
    int[] tokens() {
        return Arrays.copyOf(tokens, count);
    }

    /** The tokens at {@code [from, from + n)}. */
    int[] slice(int from, int n) {
        return Arrays.copyOfRange(tokens, from, from + n);
    }

    void append(int token) {
        if (count == tokens.length) {
            tokens = Arrays.copyOf(tokens, tokens.length * 2);
        }
        tokens[count++] = token;
    }

    /** Adds a final piece of generated text (its listener gets it from the scheduler). */
    void appendText(String piece) {
        text.append(piece);
    }

    String text() {
        return text.toString();
    }
}
