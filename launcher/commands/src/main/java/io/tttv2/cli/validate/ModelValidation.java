package io.tttv2.cli.validate;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.runner.ForwardObserver;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.cli.UserError;
import io.tttv2.testing.metrics.Metrics;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * Model-level validation against a HuggingFace reference: prefill of {@code input_ids} (logits and every
 * hidden state), then greedy decode with the KV cache, teacher-forced with the reference's tokens so that
 * one low-margin disagreement does not derail the steps after it. Each check runs when the reference holds
 * its key ({@code logits}, {@code hidden_states}, {@code generated_ids}, {@code decode_logits}).
 */
final class ModelValidation {

    /** A token disagreement counts only where HF's top-1/top-2 margin exceeds this. */
    static final double MARGIN = 1e-3;

    private ModelValidation() {
    }

    static ValidationResult run(ModelRunner runner, ReferenceFile ref, double minPcc, double atol) {
        if (!ref.has("logits") && !ref.has("generated_ids")) {
            throw new UserError(ref.path().getFileName() + ": expected 'logits' or 'generated_ids' to compare with, found neither");
        }
        ReferenceShapes shapes = ReferenceShapes.check(ref, runner.info());   // every key, before any allocation
        int batch = shapes.batch(), seq = shapes.tokens(), newTokens = shapes.newTokens();
        long[] ids = ref.require("input_ids", 2).toLongArray();
        int vocab = runner.info().vocabSize(), hidden = runner.info().hidden(), layers = runner.info().layers();
        var generatedEntry = ref.has("generated_ids") ? ref.require("generated_ids", 2) : null;
        long[] refGenerated = generatedEntry == null ? new long[0] : generatedEntry.toLongArray();

        int blocksPerSequence = (seq + newTokens + KvCacheSpec.DEFAULT_BLOCK_SIZE - 1) / KvCacheSpec.DEFAULT_BLOCK_SIZE;
        List<Check> checks = new ArrayList<>();
        try (PagedKvCache cache = runner.allocateKvCache(batch * blocksPerSequence + 1, KvCacheSpec.DEFAULT_BLOCK_SIZE)) {
            // ---- prefill, one sequence at a time, observing every hidden state and every logit ----
            float[] logits = new float[batch * seq * vocab];
            float[] hiddenStates = new float[(layers + 1) * batch * seq * hidden];
            float[] lastLogits = new float[batch * vocab];
            BlockTable[] tables = new BlockTable[batch];
            Tensor last = Tensor.allocate(Arena.ofAuto(), DType.F32, 1, vocab);
            for (int b = 0; b < batch; b++) {
                int[] prompt = new int[seq];
                for (int t = 0; t < seq; t++) {
                    prompt[t] = Math.toIntExact(ids[b * seq + t]);
                }
                tables[b] = cache.newSequence();
                int sequence = b;
                ForwardObserver observer = new ForwardObserver() {
                    @Override
                    public void hiddenState(int index, Tensor x) {
                        System.arraycopy(x.toFloatArray(), 0, hiddenStates, (index * batch + sequence) * seq * hidden, seq * hidden);
                    }

                    @Override
                    public boolean wantsAllLogits() {
                        return true;
                    }

                    @Override
                    public void logits(Tensor all) {
                        System.arraycopy(all.toFloatArray(), 0, logits, sequence * seq * vocab, seq * vocab);
                    }
                };
                runner.prefill(cache, List.of(new PrefillRequest(prompt, tables[b], observer)), last);
                System.arraycopy(last.toFloatArray(), 0, lastLogits, b * vocab, vocab);
            }
            if (ref.has("logits")) {
                checks.add(Check.of("logits", Metrics.compare(logits, ref.require("logits", 3).toFloatArray()), minPcc, atol));
            }
            if (ref.has("hidden_states")) {
                float[] refHidden = ref.require("hidden_states", 4).toFloatArray();
                int per = batch * seq * hidden;
                for (int i = 0; i <= layers; i++) {
                    checks.add(Check.of("hidden_states[" + i + "]",
                            Metrics.compare(slice(hiddenStates, i * per, per), slice(refHidden, i * per, per)), minPcc, atol));
                }
            }

            // ---- greedy decode with the cache, teacher-forced ----
            float[] decodeLogits = new float[batch * newTokens * vocab];
            long[] generated = new long[batch * (seq + newTokens)];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(ids, b * seq, generated, b * (seq + newTokens), seq);
            }
            if (newTokens > 0) {
                Tensor stepLogits = Tensor.allocate(Arena.ofAuto(), DType.F32, batch, vocab);
                int[] tokens = new int[batch];
                for (int s = 0; s < newTokens; s++) {
                    float[] step;
                    if (s == 0) {
                        step = lastLogits;    // HF's first generation step is the prefill's last position
                    } else {
                        for (int b = 0; b < batch; b++) {
                            tokens[b] = Math.toIntExact(refGenerated[b * (seq + newTokens) + seq + s - 1]);
                        }
                        runner.decode(cache, tokens, tables, stepLogits);
                        step = stepLogits.toFloatArray();
                    }
                    for (int b = 0; b < batch; b++) {
                        System.arraycopy(step, b * vocab, decodeLogits, (b * newTokens + s) * vocab, vocab);
                        generated[b * (seq + newTokens) + seq + s] = argmax(step, b * vocab, vocab);
                    }
                }
                if (ref.has("decode_logits")) {
                    checks.add(Check.of("decode_logits",
                            Metrics.compare(decodeLogits, ref.require("decode_logits", 3).toFloatArray()), minPcc, atol));
                }
                checks.add(tokenCheck(ref, generated, refGenerated, batch, seq, newTokens, runner.info().eosTokenIds()));
            }
            return new ValidationResult(checks, new ComputedOutputs()
                    .f32("logits", logits, batch, seq, vocab)
                    .f32("hidden_states", hiddenStates, layers + 1, batch, seq, hidden)
                    .f32("decode_logits", decodeLogits, batch, newTokens, vocab)
                    .i64("generated_ids", generated, batch, seq + newTokens));
        }
    }

    /**
     * Generated tokens must equal HF's wherever HF's margin makes the choice unambiguous. Once HF's sequence has
     * produced an end-of-sequence token, HF writes its pad token after it instead of a choice: those steps are
     * not compared.
     */
    static Check tokenCheck(ReferenceFile ref, long[] generated, long[] refGenerated, int batch, int seq,
                                    int newTokens, List<Integer> eosTokenIds) {
        float[] margins = ref.has("decode_top2_margin") ? ref.require("decode_top2_margin", 2).toFloatArray() : null;
        int compared = 0, mismatched = 0, ambiguous = 0, afterEnd = 0;
        for (int b = 0; b < batch; b++) {
            boolean ended = false;
            for (int s = 0; s < newTokens; s++) {
                int at = b * (seq + newTokens) + seq + s;
                if (ended) {
                    afterEnd++;
                    continue;
                }
                ended = eosTokenIds.contains(Math.toIntExact(refGenerated[at]));
                boolean clear = margins == null || margins[b * newTokens + s] > MARGIN;
                if (!clear) {
                    ambiguous++;
                    continue;
                }
                compared++;
                if (generated[at] != refGenerated[at]) {
                    mismatched++;
                }
            }
        }
        String detail = (compared - mismatched) + "/" + compared + " tokens equal"
                + (ambiguous > 0 ? " (" + ambiguous + " within margin " + MARGIN + " not counted)" : "")
                + (afterEnd > 0 ? " (" + afterEnd + " after HF's end of sequence not counted)" : "");
        return Check.tokens("generated_ids", detail, mismatched == 0);
    }

    static int argmax(float[] values, int from, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (values[from + i] > values[from + best]) {
                best = i;
            }
        }
        return best;
    }

    private static float[] slice(float[] values, int from, int length) {
        float[] out = new float[length];
        System.arraycopy(values, from, out, 0, length);
        return out;
    }
}
