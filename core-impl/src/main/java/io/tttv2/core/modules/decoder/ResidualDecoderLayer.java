package io.tttv2.core.modules.decoder;

import io.tttv2.api.modules.DecodeStep;
import io.tttv2.api.modules.DecoderLayer;
import io.tttv2.api.modules.DecoderLayerParts;
import io.tttv2.api.modules.DecoderLayerSpec;
import io.tttv2.api.modules.MixedStep;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.PrefillStep;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.RowBuffer;
import io.tttv2.core.modules.ShapeChecks;

/**
 * What every residual pattern shares: the parts, scratch buffers of [prefillChunk, hidden] and
 * [maxBatch, hidden] made at construction, and the prefill loop over chunks (each chunk a prefill of its
 * own at {@code start + offset}, so its attention writes its keys and values, then attends). A pattern
 * only writes {@link #forward}, once for both passes.
 */
abstract class ResidualDecoderLayer implements DecoderLayer {

    private final String module;
    protected final DecoderLayerSpec spec;
    protected final ModuleConfig config;
    protected final DecoderLayerParts parts;
    protected final Ops ops;
    private final RowBuffer[] prefillScratch;       // each [prefillChunk, hidden]
    private final RowBuffer[] decodeScratch;        // each [maxBatch, hidden]
    private final Tensor[][] decodeViewsByBatch;    // [maxBatch + 1][scratchBuffers], filled on first use
    private final DecodeCalls decodeCalls = new DecodeCalls();

    ResidualDecoderLayer(String module, DecoderLayerSpec spec, ModuleConfig config, DecoderLayerParts parts,
                         Device device, int scratchBuffers) {
        if (spec.hidden() <= 0) {
            throw new IllegalArgumentException(module + ": hidden must be > 0, found " + spec.hidden());
        }
        this.module = module;
        this.spec = spec;
        this.config = config;
        this.parts = parts;
        this.ops = device.ops();
        require(parts.attention(), "self_attn (attention)");
        require(parts.mlp(), "mlp");
        this.prefillScratch = new RowBuffer[scratchBuffers];
        this.decodeScratch = new RowBuffer[scratchBuffers];
        for (int i = 0; i < scratchBuffers; i++) {
            prefillScratch[i] = new RowBuffer(config.prefillChunk(), spec.hidden());
            decodeScratch[i] = new RowBuffer(config.maxBatch(), spec.hidden());
        }
        this.decodeViewsByBatch = new Tensor[config.maxBatch() + 1][];
    }

    /** Fails construction naming a part the pattern needs and was not given. */
    protected final void require(Object part, String name) {
        if (part == null) {
            throw new IllegalArgumentException(module + " (" + spec.pattern() + ") needs part " + name + ", found none");
        }
    }

    /**
     * One pass of the pattern over n rows: x, out [n, hidden] (out may be x); scratch [n, hidden] buffers.
     */
    protected abstract void forward(PartCalls calls, Tensor x, Tensor out, Tensor[] scratch);

    @Override
    public final void prefill(Tensor x, PrefillStep step, Tensor out) {
        ShapeChecks.rows(module, "prefill input", x, spec.hidden());
        int t = x.dim(0);
        ShapeChecks.sameRows(module, "prefill output", out, t, spec.hidden());
        int chunk = config.prefillChunk();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            PrefillCalls calls = new PrefillCalls(new PrefillStep(step.cache(), step.table(), step.start() + s));
            forward(calls, x.slice(0, s, n), out.slice(0, s, n), views(prefillScratch, n));
        }
    }

    @Override
    public final void decode(Tensor x, DecodeStep step, Tensor out) {
        ShapeChecks.rows(module, "decode input", x, spec.hidden(), config.maxBatch());
        int b = x.dim(0);
        ShapeChecks.sameRows(module, "decode output", out, b, spec.hidden());
        decodeCalls.set(step);
        forward(decodeCalls, x, out, decodeViews(b));
    }

    /**
     * A mixed step: x, out [rows, hidden], in chunks of prefillChunk rows (each chunk's attention writes its
     * rows' keys and values before attending, so a sequence split across chunks sees its earlier rows).
     */
    @Override
    public final void step(Tensor x, MixedStep step, Tensor out) {
        ShapeChecks.rows(module, "step input", x, spec.hidden());
        int t = x.dim(0);
        ShapeChecks.sameRows(module, "step output", out, t, spec.hidden());
        if (step.rows() != t) {
            throw new IllegalArgumentException(module + ": step of " + t + " rows got " + step.rows() + " positions");
        }
        int chunk = config.prefillChunk();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            StepCalls calls = new StepCalls(t == n ? step : step.rows(s, n));
            forward(calls, x.slice(0, s, n), out.slice(0, s, n), views(prefillScratch, n));
        }
    }

    private static Tensor[] views(RowBuffer[] buffers, int n) {
        Tensor[] views = new Tensor[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            views[i] = buffers[i].rows(n);
        }
        return views;
    }

    /** The scratch views of b rows, made once per batch size. */
    private Tensor[] decodeViews(int b) {
        Tensor[] views = decodeViewsByBatch[b];
        if (views == null) {
            views = views(decodeScratch, b);
            decodeViewsByBatch[b] = views;
        }
        return views;
    }

    @Override
    public String candidate() {
        return ResidualDecoderLayerFactory.NAME;
    }

    @Override
    public DecoderLayerSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
