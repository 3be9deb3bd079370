package io.tttv2.cli.validate;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.DecoderRequest;
import io.tttv2.api.runner.EncodedInput;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.ForwardObserver;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.metrics.Metrics;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoder–decoder validation against a HuggingFace reference: each row of {@code input_ids} encoded
 * ({@code encoder_last_hidden_state} [B, S, H], real tokens only when an {@code attention_mask} marks padding),
 * the teacher-forced decoder {@code logits} [B, Td, V] for {@code decoder_input_ids}, then greedy decoding with the
 * KV cache from the decoder start token, teacher-forced with HF's {@code generated_ids} [B, 1+N] so one
 * low-margin disagreement does not derail the rest: {@code decode_logits} [B, N, V] and the tokens.
 */
final class Seq2SeqValidation {

    private Seq2SeqValidation() {
    }

    static ValidationResult run(EncoderDecoderRunner runner, ReferenceFile ref, double minPcc, double atol) {
        if (!ref.has("encoder_last_hidden_state") && !ref.has("logits") && !ref.has("generated_ids")) {
            throw ref.error("expected 'encoder_last_hidden_state', 'logits' or 'generated_ids' to compare with, found none");
        }
        ModelInfo info = runner.info();
        int batch = ReferenceShapes.batch(ref);
        int seq = (int) ref.shape("input_ids")[1];
        int hidden = info.hidden(), vocab = info.vocabSize();
        ReferenceShapes.checkIds(ref, "input_ids", vocab);
        ReferenceShapes.expect(ref, "attention_mask", "[batch, tokens]", batch, seq);
        ReferenceShapes.expect(ref, "encoder_last_hidden_state", "[batch, tokens, hidden_size]", batch, seq, hidden);
        int decoderTokens = ref.has("decoder_input_ids") ? (int) ref.require("decoder_input_ids", 2).shape()[1] : 0;
        ReferenceShapes.expect(ref, "decoder_input_ids", "[batch, decoder tokens]", batch, decoderTokens);
        if (ref.has("logits") && !ref.has("decoder_input_ids")) {
            throw ref.error("holds 'logits' but no 'decoder_input_ids' they were computed for");
        }
        ReferenceShapes.expect(ref, "logits", "[batch, decoder tokens, vocab_size]", batch, decoderTokens, vocab);
        int steps = ref.has("generated_ids") ? (int) ref.require("generated_ids", 2).shape()[1] - 1 : 0;
        ReferenceShapes.expect(ref, "generated_ids", "[batch, 1 + generated tokens]", batch, steps + 1);
        ReferenceShapes.expect(ref, "decode_logits", "[batch, generated tokens, vocab_size]", batch, steps, vocab);
        ReferenceShapes.expect(ref, "decode_top2_margin", "[batch, generated tokens]", batch, steps);
        if (decoderTokens > 0) {
            ReferenceShapes.checkIds(ref, "decoder_input_ids", vocab);
        }
        if (steps > 0) {
            ReferenceShapes.checkIds(ref, "generated_ids", vocab);
        }
        if (Math.max(decoderTokens, steps + 1) > info.maxSequenceLength()) {
            throw ref.error("holds decoder sequences of " + Math.max(decoderTokens, steps + 1)
                    + " tokens, expected at most the runner's " + info.maxSequenceLength());
        }
        long[] ids = ref.require("input_ids", 2).toLongArray();
        long[] mask = ref.has("attention_mask") ? ref.require("attention_mask", 2).toLongArray() : null;

        List<Check> checks = new ArrayList<>();
        ComputedOutputs computed = new ComputedOutputs();
        // ---- the encoder, one request per row ----
        EncodedInput[] encoded = new EncodedInput[batch];
        float[] encoderStates = new float[batch * seq * hidden];
        float[] refStates = ref.has("encoder_last_hidden_state")
                ? ref.require("encoder_last_hidden_state", 3).toFloatArray() : null;
        List<Float> mine = new ArrayList<>();
        List<Float> theirs = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            int[] real = realTokens(ids, mask, b, seq);
            encoded[b] = runner.encode(real, null);
            float[] states = encoded[b].lastHiddenState().toFloatArray();        // [S_b, hidden]
            for (int t = 0, r = 0; t < seq; t++) {
                if (mask != null && mask[b * seq + t] == 0) {
                    continue;       // HF's rows at padded positions are not compared: this runner encodes real tokens
                }
                System.arraycopy(states, r * hidden, encoderStates, (b * seq + t) * hidden, hidden);
                for (int i = 0; refStates != null && i < hidden; i++) {
                    mine.add(states[r * hidden + i]);
                    theirs.add(refStates[(b * seq + t) * hidden + i]);
                }
                r++;
            }
        }
        computed.f32("encoder_last_hidden_state", encoderStates, batch, seq, hidden);
        if (refStates != null) {
            checks.add(Check.of("encoder_last_hidden_state", Metrics.compare(floats(mine), floats(theirs)), minPcc, atol));
        }

        int blocksPerSequence = (Math.max(decoderTokens, steps + 1) + KvCacheSpec.DEFAULT_BLOCK_SIZE - 1)
                / KvCacheSpec.DEFAULT_BLOCK_SIZE;
        try (PagedKvCache cache = runner.allocateKvCache(2 * batch * blocksPerSequence + 1, KvCacheSpec.DEFAULT_BLOCK_SIZE)) {
            Tensor last = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, vocab);
            // ---- teacher-forced decoder logits for decoder_input_ids ----
            if (decoderTokens > 0) {
                long[] decoderIds = ref.require("decoder_input_ids", 2).toLongArray();
                float[] logits = new float[batch * decoderTokens * vocab];
                for (int b = 0; b < batch; b++) {
                    int[] tokens = row(decoderIds, b, decoderTokens);
                    int sequence = b;
                    ForwardObserver observer = new ForwardObserver() {
                        @Override
                        public boolean wantsAllLogits() {
                            return true;
                        }

                        @Override
                        public void logits(Tensor all) {
                            System.arraycopy(all.toFloatArray(), 0, logits, sequence * decoderTokens * vocab,
                                    decoderTokens * vocab);
                        }
                    };
                    BlockTable table = cache.newSequence();
                    runner.prefill(cache, List.of(new DecoderRequest(tokens, table, encoded[b], observer)), last);
                    table.release();
                }
                computed.f32("logits", logits, batch, decoderTokens, vocab);
                if (ref.has("logits")) {
                    checks.add(Check.of("logits", Metrics.compare(logits, ref.require("logits", 3).toFloatArray()),
                            minPcc, atol));
                }
            }
            // ---- greedy decoding with the cache, teacher-forced with HF's tokens ----
            if (steps > 0) {
                long[] refGenerated = ref.require("generated_ids", 2).toLongArray();
                float[] decodeLogits = new float[batch * steps * vocab];
                long[] generated = new long[batch * (steps + 1)];
                BlockTable[] tables = new BlockTable[batch];
                Tensor stepLogits = Tensor.allocate(Arena.ofAuto(), DType.F32, batch, vocab);
                for (int b = 0; b < batch; b++) {
                    generated[b * (steps + 1)] = refGenerated[b * (steps + 1)];
                    tables[b] = cache.newSequence();
                    int[] start = {Math.toIntExact(refGenerated[b * (steps + 1)])};    // the decoder start token
                    runner.prefill(cache, List.of(new DecoderRequest(start, tables[b], encoded[b], null)), last);
                    float[] first = last.toFloatArray();
                    System.arraycopy(first, 0, decodeLogits, b * steps * vocab, vocab);
                    generated[b * (steps + 1) + 1] = ModelValidation.argmax(first, 0, vocab);
                }
                int[] tokens = new int[batch];
                for (int s = 1; s < steps; s++) {
                    for (int b = 0; b < batch; b++) {
                        tokens[b] = Math.toIntExact(refGenerated[b * (steps + 1) + s]);
                    }
                    runner.decode(cache, tokens, tables, encoded, stepLogits);
                    float[] step = stepLogits.toFloatArray();
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(step, b * vocab, decodeLogits, (b * steps + s) * vocab, vocab);
                        generated[b * (steps + 1) + 1 + s] = ModelValidation.argmax(step, b * vocab, vocab);
                    }
                }
                if (ref.has("decode_logits")) {
                    checks.add(Check.of("decode_logits",
                            Metrics.compare(decodeLogits, ref.require("decode_logits", 3).toFloatArray()), minPcc, atol));
                }
                checks.add(ModelValidation.tokenCheck(ref, generated, refGenerated, batch, 1, steps, info.eosTokenIds()));
                computed.f32("decode_logits", decodeLogits, batch, steps, vocab);
                computed.i64("generated_ids", generated, batch, steps + 1);
            }
        }
        for (EncodedInput e : encoded) {
            e.close();
        }
        return new ValidationResult(checks, computed);
    }

    /** Row {@code b}'s tokens where the mask marks them real (all without a mask). */
    private static int[] realTokens(long[] ids, long[] mask, int b, int seq) {
        List<Integer> out = new ArrayList<>();
        for (int t = 0; t < seq; t++) {
            if (mask == null || mask[b * seq + t] != 0) {
                out.add(Math.toIntExact(ids[b * seq + t]));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] row(long[] values, int b, int length) {
        int[] out = new int[length];
        for (int t = 0; t < length; t++) {
            out[t] = Math.toIntExact(values[b * length + t]);
        }
        return out;
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
