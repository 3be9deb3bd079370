package io.tttv2.integration.generation;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.integration.tokenizers.StreamingDecoder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The token loop of one sequence: prefill new tokens, then sample, stream and feed back one token at a time.
 * The buffers a step needs (the logits tensor, their heap copy, the one-token batch) are allocated once per
 * loop, so a step allocates only the text pieces it streams.
 */
final class DecodeLoop {

    private static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * How a decode ended.
     *
     * @param generated [N] the sampled tokens, the last being the one that ended generation
     * @param text      what was streamed
     * @param fed       how many of {@code generated} went back through the model, and so are in the KV cache
     * @param nanos     time from the end of the prefill to the end
     */
    record Outcome(int[] generated, String text, FinishReason reason, int fed, long nanos) {
    }

    private final SequenceSteps runner;
    private final int vocabSize;
    private final int context;
    private final Tensor logits;              // [1, vocab], written by prefill and decode
    private final MemorySegment logitsMemory; // the bytes of `logits`
    private final float[] scores;             // [vocab] heap copy the sampler processes in place
    private final int[] step = new int[1];    // the one-token batch of a decode
    private final BlockTable[] tables = new BlockTable[1];

    DecodeLoop(ModelRunner runner) {
        this(SequenceSteps.of(runner));
    }

    DecodeLoop(SequenceSteps runner) {
        this.runner = runner;
        this.vocabSize = runner.info().vocabSize();
        this.context = KvCacheBudget.tokens(runner.info());
        this.logits = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, vocabSize);
        this.logitsMemory = logits.segment();
        this.scores = new float[vocabSize];
    }

    /** Prefills {@code tokens} at the end of {@code table}; the last one's logits are ready for {@link #decode}. */
    void prefill(PagedKvCache cache, BlockTable table, int[] tokens) {
        runner.prefill(cache, table, tokens, logits);
    }

    /**
     * Samples from the logits of the last prefill, then decodes until a stop token, a stop string,
     * {@code maxNewTokens} or the model's context.
     *
     * @param stopTokenIds tokens that end generation; they are not streamed
     * @param decoder      turns tokens into text (primed with the prompt, so spacing is right)
     * @param sink         receives each final piece of text
     */
    Outcome decode(PagedKvCache cache, BlockTable table, Sampler sampler, int maxNewTokens, int[] stopTokenIds,
                   StreamingDecoder decoder, StopStrings stops, Consumer<String> sink) {
        long start = System.nanoTime();
        // sized by what the cache can still take, not by the request: --max-tokens or max_new_tokens may be
        // far beyond the context (each decode adds one position; the last sampled token is not fed back)
        int room = (int) Math.max(1, Math.min(maxNewTokens, (long) context - table.length() + 1));
        int[] generated = new int[room];
        StringBuilder text = new StringBuilder();
        tables[0] = table;
        int count = 0;
        FinishReason reason;
        while (true) {
            MemorySegment.copy(logitsMemory, F32_LE, 0, scores, 0, vocabSize);
            int token = sampler.sample(scores);
            generated[count++] = token;
            if (contains(stopTokenIds, token)) {
                reason = FinishReason.EOS;
                break;
            }
            emit(stops.push(decoder.next(token)), text, sink);
            if (stops.stopped()) {
                reason = FinishReason.STOP_STRING;
                break;
            }
            if (count == room || table.length() >= context) {
                reason = FinishReason.LENGTH;
                break;
            }
            step[0] = token;
            runner.decode(cache, step, tables, logits);
        }
        if (reason != FinishReason.STOP_STRING) {
            // the decoder may hold an incomplete character, the stop filter a possible stop-string beginning
            emit(stops.push(decoder.flush()), text, sink);
            if (!stops.stopped()) {
                emit(stops.flush(), text, sink);
            } else {
                reason = FinishReason.STOP_STRING;
            }
        }
        tables[0] = null;
        int[] out = Arrays.copyOf(generated, count);
        return new Outcome(out, text.toString(), reason, count - 1, System.nanoTime() - start);
    }

    private static void emit(String piece, StringBuilder text, Consumer<String> sink) {
        if (!piece.isEmpty()) {
            text.append(piece);
            sink.accept(piece);
        }
    }

    private static boolean contains(int[] ids, int id) {
        for (int x : ids) {
            if (x == id) {
                return true;
            }
        }
        return false;
    }
}
