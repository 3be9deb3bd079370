package io.tttv2.cli.validate;

import io.tttv2.api.runner.ModelInfo;
import io.tttv2.cli.UserError;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * What a reference must hold for the model it validates, checked before anything is allocated or compared:
 * every tensor's exact shape (a reference that does not match cannot pass by comparing a part of it, nor
 * fail with an index error), token ids within the vocabulary, sequences within the context, and the outputs
 * the comparison would hold within {@link #MAX_OUTPUT_FLOATS}.
 *
 * @param batch     B, sequences
 * @param tokens    T, prompt tokens per sequence
 * @param newTokens N, generated tokens per sequence (0 without {@code generated_ids})
 */
record ReferenceShapes(int batch, int tokens, int newTokens) {
    /** The most sequences a reference may hold (README, "Limits"): the model is built for this many at once. */
    static final int MAX_BATCH = 64;
    /** The most output values one validation computes and keeps (README, "Limits"): 1 GiB of F32. */
    static final long MAX_OUTPUT_FLOATS = 1L << 28;

    /** The batch of {@code input_ids} [B, T], checked before a model is built for it. */
    static int batch(ReferenceFile ref) {
        long[] ids = ref.require("input_ids", 2).shape();
        if (ids[0] < 1 || ids[0] > MAX_BATCH || ids[1] < 1) {
            throw ref.error("tensor 'input_ids' has shape " + format(ids) + ", expected [B, T] with 1 ≤ B ≤ "
                    + MAX_BATCH + " sequences of T ≥ 1 tokens");
        }
        return (int) ids[0];
    }

    static ReferenceShapes check(ReferenceFile ref, ModelInfo model) {
        int batch = batch(ref);
        long tokens = ref.require("input_ids", 2).shape()[1];
        long total = tokens;
        if (ref.has("generated_ids")) {
            long[] generated = ref.require("generated_ids", 2).shape();
            if (generated[0] != batch || generated[1] < tokens) {
                throw ref.error("tensor 'generated_ids' has shape " + format(generated) + ", expected [" + batch
                        + ", T+N] with T+N ≥ " + tokens + " ([batch, tokens] of input_ids, then N generated)");
            }
            total = generated[1];
        }
        if (total > model.maxSequenceLength()) {
            throw ref.error((total == tokens ? "input_ids" : "generated_ids") + " holds sequences of " + total
                    + " tokens, expected at most the model's context of " + model.maxSequenceLength());
        }
        int t = (int) tokens;
        int n = (int) (total - tokens);
        expect(ref, "logits", "[batch, tokens, vocab_size]", batch, t, model.vocabSize());
        expect(ref, "hidden_states", "[layers + 1, batch, tokens, hidden_size]", model.layers() + 1, batch, t,
                model.hidden());
        expect(ref, "decode_logits", "[batch, generated tokens, vocab_size]", batch, n, model.vocabSize());
        expect(ref, "decode_top2_margin", "[batch, generated tokens]", batch, n);
        // the model's outputs and the reference's, side by side
        long floats = 2 * ((long) batch * t * model.vocabSize() + (long) (model.layers() + 1) * batch * t * model.hidden()
                + (long) batch * n * model.vocabSize());
        if (floats > MAX_OUTPUT_FLOATS) {
            throw ref.error("comparing it would keep " + floats + " output values of this model, more than the limit of "
                    + MAX_OUTPUT_FLOATS + " (1 GiB): use fewer sequences or tokens");
        }
        checkIds(ref, "input_ids", model.vocabSize());
        if (ref.has("generated_ids")) {
            checkIds(ref, "generated_ids", model.vocabSize());
        }
        return new ReferenceShapes(batch, t, n);
    }

    /** {@code key}, when present, must have exactly {@code dims}. */
    static void expect(ReferenceFile ref, String key, String meaning, long... dims) {
        if (!ref.has(key)) {
            return;
        }
        long[] found = ref.shape(key);
        if (!Arrays.equals(found, dims)) {
            throw ref.error("tensor '" + key + "' has shape " + format(found) + ", expected " + format(dims) + " ("
                    + meaning + " of input_ids and the model)");
        }
    }

    static void checkIds(ReferenceFile ref, String key, int vocab) {
        long[] ids = ref.require(key, 2).toLongArray();
        long columns = ref.shape(key)[1];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab) {
                throw ref.error("tensor '" + key + "' holds token id " + ids[i] + " at [" + i / columns + ", "
                        + i % columns + "], expected ids in [0, " + vocab + ") (the model's vocab_size)");
            }
        }
    }

    static String format(long[] shape) {
        return LongStream.of(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "[", "]"));
    }
}
