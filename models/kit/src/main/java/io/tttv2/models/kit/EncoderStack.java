package io.tttv2.models.kit;

import io.tttv2.api.modules.EncoderLayer;
import io.tttv2.api.modules.PaddingMask;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderOutput;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward of an {@link EncoderPlan} over a padded batch, as a short script of modules: embed (+ token types,
 * + learned positions, then the embedding norm), the relative-position bias once for every layer, layers under the
 * padding mask, final norm, pooler, masked-LM head. Shared by the encoder runner and the encoder–decoder's encoder.
 */
final class EncoderStack {

    private final EncoderPlan plan;
    private final Device device;

    EncoderStack(EncoderPlan plan, Device device) {
        this.plan = plan;
        this.device = device;
    }

    /** Lengths, token ids and token types within what the model has, before anything runs. */
    void check(EncoderBatch batch, int maxLength) {
        if (batch.length() > maxLength) {
            throw new IllegalArgumentException("sequences of " + batch.length() + " tokens exceed the model's maximum of "
                    + maxLength);
        }
        int vocab = plan.embedding().vocab();
        int types = plan.tokenTypes() == null ? 1 : plan.tokenTypes().vocab();
        for (int s = 0; s < batch.batch(); s++) {
            for (int i = 0; i < batch.length(); i++) {
                int id = batch.inputIds()[s][i];
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("token id " + id + " of sequence " + s + " at " + i
                            + " is outside the vocabulary [0, " + vocab + ")");
                }
                int type = batch.tokenTypeIds() == null ? 0 : batch.tokenTypeIds()[s][i];
                if (type < 0 || type >= types) {
                    throw new IllegalArgumentException("token type " + type + " of sequence " + s + " at " + i
                            + " is outside [0, " + types + ") (type_vocab_size)");
                }
            }
            if (batch.realLength(s) == 0) {
                throw new IllegalArgumentException("sequence " + s + " has no unmasked token");
            }
        }
    }

    EncoderOutput forward(EncoderModules m, EncoderBatch batch, boolean hiddenStates) {
        Ops ops = device.ops();
        int b = batch.batch(), t = batch.length(), h = plan.hidden();
        Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, b, t, h);                 // [B, T, hidden]
        Tensor typeRows = m.tokenTypes() == null ? null : Tensor.allocate(Arena.ofAuto(), DType.F32, t, h);   // [T, hidden]
        for (int s = 0; s < b; s++) {
            Tensor xs = x.select(0, s);                                                     // [T, hidden]
            m.embedding().prefill(batch.inputIds()[s], xs);
            if (typeRows != null) {
                m.tokenTypes().prefill(batch.tokenTypeIds() == null ? new int[t] : batch.tokenTypeIds()[s], typeRows);
                ops.add(xs, typeRows, xs);
            }
            if (m.positions() != null) {
                m.positions().prefill(xs, 0);      // position ids 0..T-1, as HF's default position_ids
            }
        }
        Tensor rows = x.reshape(b * t, h);                                                  // [B·T, hidden]
        if (m.embeddingNorm() != null) {
            m.embeddingNorm().prefill(rows, rows);
        }
        List<Tensor> states = new ArrayList<>();
        if (hiddenStates) {
            states.add(copy(x));
        }
        Tensor bias = null;                                                                  // [heads, T, T]
        if (m.relativeBias() != null) {
            bias = Tensor.allocate(Arena.ofAuto(), DType.F32, plan.relativeBias().heads(), t, t);
            m.relativeBias().compute(0, t, t, bias);    // once for every layer, as HF's first layer computes it
        }
        PaddingMask mask = mask(batch);
        List<EncoderLayer> layers = m.layers();
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(x, mask, bias);
            if (hiddenStates && (l < layers.size() - 1 || m.finalNorm() == null)) {
                states.add(copy(x));
            }
        }
        if (m.finalNorm() != null) {
            m.finalNorm().prefill(rows, rows);
            if (hiddenStates) {
                states.add(copy(x));    // as HF: the last hidden state is after the final norm
            }
        }
        Tensor pooled = null;
        if (m.pooler() != null) {
            pooled = Tensor.allocate(Arena.ofAuto(), DType.F32, b, h);                    // [B, hidden]
            m.pooler().forward(x, pooled);
        }
        Tensor logits = m.maskedLmHead() == null ? null : m.maskedLmHead().forward(x);      // [B, T, vocab]
        return new EncoderOutput(x, states, pooled, logits);
    }

    private static PaddingMask mask(EncoderBatch batch) {
        if (batch.attentionMask() == null) {
            return PaddingMask.none(batch.batch(), batch.length());
        }
        boolean[] keep = new boolean[batch.batch() * batch.length()];
        for (int s = 0; s < batch.batch(); s++) {
            for (int i = 0; i < batch.length(); i++) {
                keep[s * batch.length() + i] = batch.attentionMask()[s][i] != 0;
            }
        }
        return new PaddingMask(batch.batch(), batch.length(), keep);
    }

    private Tensor copy(Tensor x) {
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, x.shape());
        device.ops().copy(x, out);
        return out;
    }
}
