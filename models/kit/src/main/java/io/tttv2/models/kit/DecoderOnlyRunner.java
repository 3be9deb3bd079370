package io.tttv2.models.kit;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.Embedding;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.LmHead;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.Norm;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.ops.Device;
import io.tttv2.api.runner.ForwardObserver;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.runner.ModelRunner;
import io.tttv2.api.runner.PrefillRequest;
import io.tttv2.api.runner.StepRequest;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only causal LM as a short script of modules: embed (plus learned positions), layers, final norm,
 * LM head. Decode
 * workspaces are allocated once for {@code maxBatch} sequences, so a decode step allocates no tensors.
 * Every step starts by asking its {@link ModuleBinding} for the modules: that is the one place where
 * implementations are swapped, so a step runs start to end on one set of modules. The device, and the KV
 * caches in its memory, stay for the runner's life.
 */
public final class DecoderOnlyRunner implements ModelRunner {

    private final ModelInfo info;
    private final Device device;
    private final ModuleBinding<DecoderModules> binding;
    private final AutoCloseable weights;
    private final int maxBatch;

    private final Tensor decodeHidden;          // [maxBatch, hidden]
    private final int[][] positionsByBatch;     // positionsByBatch[B] has length B
    private Tensor stepHidden;                  // [≥ rows of the largest step so far, hidden]
    private Tensor stepLast;                    // [≥ logits rows of the largest step so far, hidden]
    private Tensor stepLogits;                  // [≥ logits rows of the largest step so far, vocab]

    public DecoderOnlyRunner(ModelInfo info, Device device, ModuleBinding<DecoderModules> binding, AutoCloseable weights,
                      int maxBatch) {
        this.info = info;
        this.device = device;
        this.binding = binding;
        this.weights = weights;
        this.maxBatch = maxBatch;
        this.decodeHidden = Tensor.allocate(Arena.ofAuto(), DType.F32, maxBatch, info.hidden());
        this.positionsByBatch = new int[maxBatch + 1][];
        for (int b = 0; b <= maxBatch; b++) {
            positionsByBatch[b] = new int[b];
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public PagedKvCache allocateKvCache(int blocks, int blockSize) {
        return device.allocateKvCache(info.kvCache().withBlocks(blockSize, blocks));
    }

    @Override
    public void prefill(PagedKvCache cache, List<PrefillRequest> requests, Tensor lastLogits) {
        DecoderModules m = binding.atStepBoundary();     // may throw "paused: ...": nothing done yet
        Embedding embedding = m.embedding();
        List<DecoderLayer> layers = m.layers();
        Norm finalNorm = m.finalNorm();
        LmHead lmHead = m.lmHead();
        for (int r = 0; r < requests.size(); r++) {
            PrefillRequest request = requests.get(r);
            int[] tokens = request.tokens();
            BlockTable table = request.table();
            int start = table.length();
            int count = tokens.length;
            if (count == 0) {
                throw new IllegalArgumentException("prefill of an empty prompt");
            }
            checkLength(start + count);
            table.reserve(start + count);
            ForwardObserver observer = request.observer();

            Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, count, info.hidden());   // [T, hidden]
            embedding.prefill(tokens, x);
            if (m.positions() != null) {
                m.positions().prefill(x, start);
            }
            if (observer != null) {
                observer.hiddenState(0, x);
            }
            PrefillStep step = new PrefillStep(cache, table, start);
            for (int l = 0; l < layers.size(); l++) {
                layers.get(l).prefill(x, step, x);
                if (observer != null && l < layers.size() - 1) {
                    observer.hiddenState(l + 1, x);
                }
            }
            finalNorm.prefill(x, x);
            if (observer != null) {
                observer.hiddenState(layers.size(), x);
            }
            Tensor last = lastLogits.slice(0, r, 1);                                       // [1, vocab]
            if (observer != null && observer.wantsAllLogits()) {
                Tensor all = Tensor.allocate(Arena.ofAuto(), DType.F32, count, info.vocabSize());
                lmHead.prefill(x, all);
                observer.logits(all);
                device.ops().copy(all.slice(0, count - 1, 1), last);
            } else {
                lmHead.prefill(x.slice(0, count - 1, 1), last);
            }
            table.setLength(start + count);
        }
    }

    @Override
    public void decode(PagedKvCache cache, int[] tokens, BlockTable[] tables, Tensor logits) {
        int batch = tokens.length;
        if (batch > maxBatch || tables.length != batch) {
            throw new IllegalArgumentException("decode of " + batch + " tokens with " + tables.length
                    + " tables; this runner holds at most " + maxBatch + " sequences");
        }
        DecoderModules m = binding.atStepBoundary();     // may throw "paused: ...": nothing done yet
        int[] positions = positionsByBatch[batch];
        for (int b = 0; b < batch; b++) {
            positions[b] = tables[b].length();
            checkLength(positions[b] + 1);
            tables[b].reserve(positions[b] + 1);
        }
        Tensor x = decodeHidden.slice(0, 0, batch);                                        // [B, hidden]
        m.embedding().decode(tokens, x);
        if (m.positions() != null) {
            m.positions().decode(x, positions);
        }
        DecodeStep step = new DecodeStep(cache, tables, positions);
        for (DecoderLayer layer : m.layers()) {
            layer.decode(x, step, x);
        }
        m.finalNorm().decode(x, x);
        m.lmHead().decode(x, logits);
        for (int b = 0; b < batch; b++) {
            tables[b].setLength(positions[b] + 1);
        }
    }

    /**
     * The requests' tokens concatenated into one [T, hidden] batch: embedded once, each sequence's run given its
     * learned positions, every layer run once over all T rows ({@link DecoderLayer#step}), then the final norm and
     * the LM head only over the last row of each request that wants logits. A step of decodes only (one token each,
     * every logits row wanted) is exactly a {@link #decode} call, which runs in workspaces made up front.
     */
    @Override
    public void step(PagedKvCache cache, List<StepRequest> requests, Tensor logits) {
        int count = requests.size();
        if (count == 0) {
            return;
        }
        int rows = 0;
        int wanted = 0;
        for (int r = 0; r < count; r++) {
            StepRequest request = requests.get(r);
            for (int o = 0; o < r; o++) {
                if (requests.get(o).table() == request.table()) {
                    throw new IllegalArgumentException("step: requests " + o + " and " + r + " share one block table;"
                            + " a sequence takes part in a step once");
                }
            }
            checkLength(request.table().length() + request.tokens().length);
            rows += request.tokens().length;
            wanted += request.wantsLogits() ? 1 : 0;
        }
        if (rows == count && wanted == count && count <= maxBatch) {
            decodeOnly(cache, requests, logits);
            return;
        }
        DecoderModules m = binding.atStepBoundary();     // may throw "paused: ...": nothing done yet
        int[] tokens = new int[rows];
        int[] positions = new int[rows];
        BlockTable[] tables = new BlockTable[rows];
        int[] starts = new int[count];
        int[] lastRows = new int[wanted];
        int[] logitRows = new int[wanted];
        int row = 0;
        int w = 0;
        for (int r = 0; r < count; r++) {
            StepRequest request = requests.get(r);
            BlockTable table = request.table();
            int start = table.length();
            int n = request.tokens().length;
            table.reserve(start + n);
            starts[r] = row;
            System.arraycopy(request.tokens(), 0, tokens, row, n);
            for (int i = 0; i < n; i++) {
                positions[row + i] = start + i;
                tables[row + i] = table;
            }
            row += n;
            if (request.wantsLogits()) {
                lastRows[w] = row - 1;
                logitRows[w++] = r;
            }
        }
        Tensor x = stepHidden(rows);                                                       // [T, hidden]
        m.embedding().prefill(tokens, x);
        if (m.positions() != null) {
            for (int r = 0; r < count; r++) {
                int n = requests.get(r).tokens().length;
                m.positions().prefill(x.slice(0, starts[r], n), positions[starts[r]]);
            }
        }
        MixedStep step = new MixedStep(cache, tables, positions);
        for (DecoderLayer layer : m.layers()) {
            layer.step(x, step, x);
        }
        if (wanted > 0) {
            // only the rows whose logits are wanted go through the final norm and the LM head: both are row-wise
            Tensor last = stepLast(wanted);                                                 // [R, hidden]
            for (int i = 0; i < wanted; i++) {
                device.ops().copy(x.slice(0, lastRows[i], 1), last.slice(0, i, 1));
            }
            m.finalNorm().prefill(last, last);
            Tensor out = stepLogits(wanted);                                                // [R, vocab]
            m.lmHead().prefill(last, out);
            for (int i = 0; i < wanted; i++) {
                device.ops().copy(out.slice(0, i, 1), logits.slice(0, logitRows[i], 1));
            }
        }
        for (int r = 0; r < count; r++) {
            StepRequest request = requests.get(r);
            request.table().setLength(request.table().length() + request.tokens().length);
        }
    }

    /** A step whose requests are one token each, all wanting logits: the decode call. */
    private void decodeOnly(PagedKvCache cache, List<StepRequest> requests, Tensor logits) {
        int count = requests.size();
        int[] tokens = new int[count];
        BlockTable[] tables = new BlockTable[count];
        for (int r = 0; r < count; r++) {
            tokens[r] = requests.get(r).tokens()[0];
            tables[r] = requests.get(r).table();
        }
        decode(cache, tokens, tables, logits);
    }

    /** [rows, hidden] for the rows whose logits a step wants, grown when more arrive. */
    private Tensor stepLast(int rows) {
        if (stepLast == null || stepLast.dim(0) < rows) {
            stepLast = Tensor.allocate(Arena.ofAuto(), DType.F32, Math.max(rows, maxBatch), info.hidden());
        }
        return stepLast.slice(0, 0, rows);
    }

    /** [rows, vocab] for a step's logits before they go to the caller's rows, grown when more arrive. */
    private Tensor stepLogits(int rows) {
        if (stepLogits == null || stepLogits.dim(0) < rows) {
            stepLogits = Tensor.allocate(Arena.ofAuto(), DType.F32, Math.max(rows, maxBatch), info.vocabSize());
        }
        return stepLogits.slice(0, 0, rows);
    }

    /** A [rows, hidden] buffer for a step's hidden states, grown when a larger step arrives. */
    private Tensor stepHidden(int rows) {
        if (stepHidden == null || stepHidden.dim(0) < rows) {
            stepHidden = Tensor.allocate(Arena.ofAuto(), DType.F32, Math.max(rows, maxBatch), info.hidden());
        }
        return stepHidden.slice(0, 0, rows);
    }

    @Override
    public Map<String, Module> modules() {
        return binding.current().modules();
    }

    @Override
    public Map<String, Specialization> specializations() {
        return binding.current().specializations();
    }

    @Override
    public void close() {
        try {
            weights.close();
        } catch (Exception e) {
            // unmapping is best effort
        }
    }

    private void checkLength(int tokens) {
        if (tokens > info.maxSequenceLength()) {
            throw new IllegalArgumentException("sequence of " + tokens + " tokens exceeds the model's context of "
                    + info.maxSequenceLength());
        }
    }
}
