package io.tttv2.models.kit;

import io.tttv2.api.assembly.Specialization;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.EncoderMemory;
import io.tttv2.api.modules.Module;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.runner.DecoderRequest;
import io.tttv2.api.runner.EncodedInput;
import io.tttv2.api.runner.EncoderBatch;
import io.tttv2.api.runner.EncoderDecoderRunner;
import io.tttv2.api.runner.EncoderOutput;
import io.tttv2.api.runner.ForwardObserver;
import io.tttv2.api.runner.ModelInfo;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Map;

/**
 * An encoder–decoder as a short script of modules: {@link #encode} runs the encoder stack over one request and
 * keeps its output; prefill and decode run the pre-norm decoder layers — self-attention over the paged cache
 * with the stack's relative-position bias, cross-attention over the request's encoder output, feed-forward —
 * then the final norm, the output scale and the LM head. Every call starts at its {@link ModuleBinding}.
 */
public final class Seq2SeqRunner implements EncoderDecoderRunner {

    private final ModelInfo info;
    private final EncoderDecoderPlan plan;
    private final Device device;
    private final EncoderStack encoder;
    private final ModuleBinding<EncoderDecoderModules> binding;
    private final AutoCloseable weights;
    private final int maxBatch;

    public Seq2SeqRunner(ModelInfo info, EncoderDecoderPlan plan, Device device,
                         ModuleBinding<EncoderDecoderModules> binding, AutoCloseable weights, int maxBatch) {
        this.info = info;
        this.plan = plan;
        this.device = device;
        this.encoder = new EncoderStack(plan.encoder(), device);
        this.binding = binding;
        this.weights = weights;
        this.maxBatch = maxBatch;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public int decoderStartTokenId() {
        return plan.decoderStartTokenId();
    }

    @Override
    public PagedKvCache allocateKvCache(int blocks, int blockSize) {
        return device.allocateKvCache(info.kvCache().withBlocks(blockSize, blocks));
    }

    @Override
    public EncodedInput encode(int[] inputIds, ForwardObserver observer) {
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("encoding of an empty input");
        }
        EncoderBatch batch = new EncoderBatch(new int[][] {inputIds}, null, null);
        encoder.check(batch, plan.encoder().maxPositions());
        EncoderDecoderModules m = binding.atStepBoundary();     // may throw "paused: ...": nothing done yet
        EncoderOutput out = encoder.forward(m.encoder(), batch, observer != null);
        if (observer != null) {
            for (int i = 0; i < out.hiddenStates().size(); i++) {
                observer.hiddenState(i, out.hiddenStates().get(i).select(0, 0));
            }
        }
        EncodedRequest request = new EncodedRequest(out.lastHiddenState().select(0, 0), m.layers().size());   // [S, hidden]
        for (int l = 0; l < m.layers().size(); l++) {
            request.memory(l, m.layers().get(l).crossAttention());     // keys and values once, for every step
        }
        return request;
    }

    @Override
    public void prefill(PagedKvCache cache, List<DecoderRequest> requests, Tensor lastLogits) {
        EncoderDecoderModules m = binding.atStepBoundary();
        Ops ops = device.ops();
        int h = info.hidden();
        for (int r = 0; r < requests.size(); r++) {
            DecoderRequest request = requests.get(r);
            EncodedRequest encoded = encoded(request.encoded());
            int[] tokens = request.tokens();
            BlockTable table = request.table();
            int start = table.length();
            int count = tokens.length;
            if (count == 0) {
                throw new IllegalArgumentException("prefill of no decoder tokens");
            }
            checkLength(start + count);
            table.reserve(start + count);
            ForwardObserver observer = request.observer();

            Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, count, h);                 // [T, hidden]
            Tensor normed = Tensor.allocate(Arena.ofAuto(), DType.F32, count, h);            // [T, hidden]
            Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, count, h);               // [T, hidden]
            m.embedding().prefill(tokens, x);
            if (observer != null) {
                observer.hiddenState(0, x);
            }
            Tensor bias = Tensor.allocate(Arena.ofAuto(), DType.F32, plan.relativeBias().heads(), count, start + count);
            m.relativeBias().compute(start, count, start + count, bias);   // [heads, T, start+T], once for every layer
            PrefillStep step = new PrefillStep(cache, table, start);
            for (int l = 0; l < m.layers().size(); l++) {
                EncoderDecoderModules.Layer layer = m.layers().get(l);
                layer.selfAttentionNorm().prefill(x, normed);
                layer.selfAttention().prefill(normed, step, bias, out);
                ops.add(x, out, x);                                        // x = residual + self_attn(norm(x))
                layer.crossAttentionNorm().prefill(x, normed);
                layer.crossAttention().prefill(normed, encoded.memory(l, layer.crossAttention()), out);
                ops.add(x, out, x);                                        // x = residual + cross_attn(norm(x))
                layer.mlpNorm().prefill(x, normed);
                layer.mlp().prefill(normed, out);
                ops.add(x, out, x);                                        // x = residual + mlp(norm(x))
                if (observer != null && l < m.layers().size() - 1) {
                    observer.hiddenState(l + 1, x);
                }
            }
            m.finalNorm().prefill(x, x);
            if (observer != null) {
                observer.hiddenState(m.layers().size(), x);
            }
            if (plan.outputScale() != 1f) {
                ops.scale(x, plan.outputScale(), x);
            }
            Tensor last = lastLogits.slice(0, r, 1);                                         // [1, vocab]
            if (observer != null && observer.wantsAllLogits()) {
                Tensor all = Tensor.allocate(Arena.ofAuto(), DType.F32, count, info.vocabSize());
                m.lmHead().prefill(x, all);
                observer.logits(all);
                ops.copy(all.slice(0, count - 1, 1), last);
            } else {
                m.lmHead().prefill(x.slice(0, count - 1, 1), last);
            }
            table.setLength(start + count);
        }
    }

    @Override
    public void decode(PagedKvCache cache, int[] tokens, BlockTable[] tables, EncodedInput[] encoded, Tensor logits) {
        int batch = tokens.length;
        if (batch > maxBatch || tables.length != batch || encoded.length != batch) {
            throw new IllegalArgumentException("decode of " + batch + " tokens with " + tables.length + " tables and "
                    + encoded.length + " encoded inputs; this runner holds at most " + maxBatch + " sequences");
        }
        EncoderDecoderModules m = binding.atStepBoundary();
        Ops ops = device.ops();
        int h = info.hidden();
        int[] positions = new int[batch];
        Tensor[] biases = new Tensor[batch];
        EncodedRequest[] requests = new EncodedRequest[batch];
        for (int b = 0; b < batch; b++) {
            requests[b] = encoded(encoded[b]);
            positions[b] = tables[b].length();
            checkLength(positions[b] + 1);
        }
        for (int b = 0; b < batch; b++) {
            tables[b].reserve(positions[b] + 1);
            biases[b] = Tensor.allocate(Arena.ofAuto(), DType.F32, plan.relativeBias().heads(), 1, positions[b] + 1);
            m.relativeBias().compute(positions[b], 1, positions[b] + 1, biases[b]);     // [heads, 1, p+1]
        }
        Tensor x = Tensor.allocate(Arena.ofAuto(), DType.F32, batch, h);                     // [B, hidden]
        Tensor normed = Tensor.allocate(Arena.ofAuto(), DType.F32, batch, h);                // [B, hidden]
        Tensor out = Tensor.allocate(Arena.ofAuto(), DType.F32, batch, h);                   // [B, hidden]
        m.embedding().decode(tokens, x);
        DecodeStep step = new DecodeStep(cache, tables, positions);
        EncoderMemory[] memories = new EncoderMemory[batch];
        for (int l = 0; l < m.layers().size(); l++) {
            EncoderDecoderModules.Layer layer = m.layers().get(l);
            layer.selfAttentionNorm().decode(x, normed);
            layer.selfAttention().decode(normed, step, biases, out);
            ops.add(x, out, x);
            for (int b = 0; b < batch; b++) {
                memories[b] = requests[b].memory(l, layer.crossAttention());
            }
            layer.crossAttentionNorm().decode(x, normed);
            layer.crossAttention().decode(normed, memories, out);
            ops.add(x, out, x);
            layer.mlpNorm().decode(x, normed);
            layer.mlp().decode(normed, out);
            ops.add(x, out, x);
        }
        m.finalNorm().decode(x, x);
        if (plan.outputScale() != 1f) {
            ops.scale(x, plan.outputScale(), x);
        }
        m.lmHead().decode(x, logits);
        for (int b = 0; b < batch; b++) {
            tables[b].setLength(positions[b] + 1);
        }
    }

    @Override
    public Map<String, Specialization> specializations() {
        return binding.current().specializations();
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

    private static EncodedRequest encoded(EncodedInput input) {
        if (!(input instanceof EncodedRequest request)) {
            throw new IllegalArgumentException("an encoded input from another runner: encode the request with this one");
        }
        return request;
    }

    private void checkLength(int tokens) {
        if (tokens > info.maxSequenceLength()) {
            throw new IllegalArgumentException("decoder sequence of " + tokens + " tokens exceeds the runner's maximum of "
                    + info.maxSequenceLength());
        }
    }
}
