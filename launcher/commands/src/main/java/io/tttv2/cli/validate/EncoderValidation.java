package io.tttv2.cli.validate;

import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderOutput;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.testing.metrics.Metrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Encoder validation against a HuggingFace reference: the padded batch {@code input_ids} with its
 * {@code attention_mask} and {@code token_type_ids} encoded in one call, then {@code last_hidden_state}
 * [B, T, H], every one of {@code hidden_states} [L+1, B, T, H] and {@code pooler_output} [B, H] compared, each
 * when the reference holds it — padded positions included, as HF computes them too.
 */
final class EncoderValidation {

    private EncoderValidation() {
    }

    static ValidationResult run(EncoderRunner runner, ReferenceFile ref, double minPcc, double atol) {
        if (!ref.has("last_hidden_state") && !ref.has("hidden_states") && !ref.has("pooler_output") && !ref.has("logits")) {
            throw ref.error("expected 'last_hidden_state', 'hidden_states', 'pooler_output' or 'logits' to compare with,"
                    + " found none");
        }
        ModelInfo info = runner.info();
        int batch = ReferenceShapes.batch(ref);
        int seq = (int) ref.shape("input_ids")[1];
        int hidden = info.hidden(), layers = info.layers();
        if (seq > info.maxSequenceLength()) {
            throw ref.error("input_ids holds sequences of " + seq + " tokens, expected at most the model's maximum of "
                    + info.maxSequenceLength());
        }
        ReferenceShapes.expect(ref, "attention_mask", "[batch, tokens]", batch, seq);
        ReferenceShapes.expect(ref, "token_type_ids", "[batch, tokens]", batch, seq);
        ReferenceShapes.expect(ref, "last_hidden_state", "[batch, tokens, hidden_size]", batch, seq, hidden);
        ReferenceShapes.expect(ref, "hidden_states", "[layers + 1, batch, tokens, hidden_size]", layers + 1, batch, seq, hidden);
        ReferenceShapes.expect(ref, "pooler_output", "[batch, hidden_size]", batch, hidden);
        ReferenceShapes.expect(ref, "logits", "[batch, tokens, vocab_size]", batch, seq, info.vocabSize());
        ReferenceShapes.checkIds(ref, "input_ids", info.vocabSize());
        if (ref.has("pooler_output") && !runner.hasPooler()) {
            throw ref.error("holds 'pooler_output' but the model has no pooler (no pooler.dense weights)");
        }
        int[][] ids = rows(ref, "input_ids", batch, seq);
        int[][] types = ref.has("token_type_ids") ? rows(ref, "token_type_ids", batch, seq) : null;
        int[][] mask = ref.has("attention_mask") ? rows(ref, "attention_mask", batch, seq) : null;
        EncoderOutput out;
        try {
            out = runner.encode(new EncoderBatch(ids, types, mask), ref.has("hidden_states"));
        } catch (IllegalArgumentException e) {
            throw ref.error(e.getMessage());
        }

        if (ref.has("logits") && out.logits() == null) {
            throw ref.error("holds 'logits' but the model has no masked-LM head (config.json's architecture is not"
                    + " BertForMaskedLM)");
        }
        List<Check> checks = new ArrayList<>();
        ComputedOutputs computed = new ComputedOutputs();
        float[] last = out.lastHiddenState().toFloatArray();
        computed.f32("last_hidden_state", last, batch, seq, hidden);
        if (ref.has("last_hidden_state")) {
            checks.add(Check.of("last_hidden_state", Metrics.compare(last, ref.require("last_hidden_state", 3).toFloatArray()),
                    minPcc, atol));
        }
        if (ref.has("hidden_states")) {
            float[] refHidden = ref.require("hidden_states", 4).toFloatArray();
            int per = batch * seq * hidden;
            float[] all = new float[(layers + 1) * per];
            for (int i = 0; i <= layers; i++) {
                float[] mine = out.hiddenStates().get(i).toFloatArray();
                System.arraycopy(mine, 0, all, i * per, per);
                float[] theirs = new float[per];
                System.arraycopy(refHidden, i * per, theirs, 0, per);
                checks.add(Check.of("hidden_states[" + i + "]", Metrics.compare(mine, theirs), minPcc, atol));
            }
            computed.f32("hidden_states", all, layers + 1, batch, seq, hidden);
        }
        if (out.pooled() != null) {
            float[] pooled = out.pooled().toFloatArray();
            computed.f32("pooler_output", pooled, batch, hidden);
            if (ref.has("pooler_output")) {
                checks.add(Check.of("pooler_output", Metrics.compare(pooled, ref.require("pooler_output", 2).toFloatArray()),
                        minPcc, atol));
            }
        }
        if (out.logits() != null) {
            float[] logits = out.logits().toFloatArray();
            int vocab = out.logits().shape()[2];
            computed.f32("logits", logits, batch, seq, vocab);
            if (ref.has("logits")) {
                checks.add(Check.of("logits", Metrics.compare(logits, ref.require("logits", 3).toFloatArray()), minPcc, atol));
            }
        }
        return new ValidationResult(checks, computed);
    }

    /** An int64 [B, T] tensor of the reference as int rows. */
    private static int[][] rows(ReferenceFile ref, String key, int batch, int seq) {
        long[] values = ref.require(key, 2).toLongArray();
        int[][] out = new int[batch][seq];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                long v = values[b * seq + t];
                if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw ref.error("tensor '" + key + "' holds " + v + " at [" + b + ", " + t + "], expected a small integer");
                }
                out[b][t] = (int) v;
            }
        }
        return out;
    }
}
