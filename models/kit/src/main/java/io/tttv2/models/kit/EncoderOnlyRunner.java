package io.tttv2.models.kit;

import io.tttv2.api.modules.EncoderLayer;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.PaddingMask;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderOutput;
import io.tttv2.api.runner.EncoderRunner;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An encoder as a short script of modules over a padded batch: embed (+ token types, + learned positions, then
 * the embedding norm), layers under the padding mask, final norm, pooler. An encoder runs once per batch, so
 * its tensors are allocated per call (the outputs are the caller's). Every call starts by asking its
 * {@link ModuleBinding} for the modules, the one place where implementations are swapped.
 */
public final class EncoderOnlyRunner implements EncoderRunner {

    private final ModelInfo info;
    private final EncoderPlan plan;
    private final Device device;
    private final ModuleBinding<EncoderModules> binding;
    private final AutoCloseable weights;

    public EncoderOnlyRunner(ModelInfo info, EncoderPlan plan, Device device, ModuleBinding<EncoderModules> binding,
                             AutoCloseable weights) {
        this.info = info;
        this.plan = plan;
        this.device = device;
        this.binding = binding;
        this.weights = weights;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public boolean hasPooler() {
        return plan.pooler() != null;
    }

    @Override
    public EncoderOutput encode(EncoderBatch batch, boolean hiddenStates) {
        check(batch);
        EncoderModules m = binding.atStepBoundary();     // may throw "paused: ...": nothing done yet
        Ops ops = device.ops();
        int b = batch.batch(), t = batch.length(), h = info.hidden();
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
        PaddingMask mask = mask(batch);
        List<EncoderLayer> layers = m.layers();
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(x, mask, null);
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
        return new EncoderOutput(x, states, pooled);
    }

    @Override
    public Map<String, Module> modules() {
        return binding.current().modules();
    }

    @Override
    public void close() {
        try {
            weights.close();
        } catch (Exception e) {
            // unmapping is best effort
        }
    }

    /** Lengths, token ids and token types within what the model has, before anything runs. */
    private void check(EncoderBatch batch) {
        if (batch.length() > info.maxSequenceLength()) {
            throw new IllegalArgumentException("sequences of " + batch.length() + " tokens exceed the model's maximum of "
                    + info.maxSequenceLength());
        }
        int types = plan.tokenTypes() == null ? 1 : plan.tokenTypes().vocab();
        for (int s = 0; s < batch.batch(); s++) {
            for (int i = 0; i < batch.length(); i++) {
                int id = batch.inputIds()[s][i];
                if (id < 0 || id >= info.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " of sequence " + s + " at " + i
                            + " is outside the vocabulary [0, " + info.vocabSize() + ")");
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
