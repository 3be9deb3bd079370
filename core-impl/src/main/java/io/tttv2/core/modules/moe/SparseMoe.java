package io.tttv2.core.modules.moe;

import io.tttv2.api.modules.Mlp;
import io.tttv2.api.modules.MlpSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Moe;
import io.tttv2.api.modules.MoeSpec;
import io.tttv2.api.modules.Router;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.ShapeChecks;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A mixture-of-experts block that computes only the experts each token picked (HF's
 * {@code MixtralSparseMoeBlock}, {@code Qwen2MoeSparseMoeBlock}, {@code DeepseekV3MoE}): the router picks
 * topK experts per token; the tokens of each picked expert are gathered into one block of rows, run through
 * that expert as one matmul per projection, scaled by their routing weights and added into their rows of the
 * output, experts in ascending order as HF adds them. The shared expert (if any) runs on every token, its
 * output scaled by {@code sigmoid(shared_expert_gate(x))} when gated, and is added last.
 */
public final class SparseMoe implements Moe {

    private static final String MODULE = "mixture of experts";
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MoeSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Router router;
    private final Mlp shared;                   // or null
    private final Tensor sharedGate;            // [1, H], or null
    private final ExpertWeights[] experts;
    private final int chunk;                    // tokens per pass
    private final AtomicLongArray routed;       // [E] tokens per expert so far
    // workspace for one pass of ≤ chunk tokens
    private final int[] picked;                 // [chunk · k] expert of each (token, slot)
    private final float[] pickWeights;          // [chunk · k]
    private final int[] count;                  // [E] tokens of each expert in this pass
    private final int[] start;                  // [E + 1] where each expert's tokens begin in the order below
    private final int[] cursor;                 // [E] next free place of each expert while sorting
    private final int[] orderToken;             // [chunk · k] tokens grouped by expert, ascending within one
    private final float[] orderWeight;          // [chunk · k] their weights
    private final boolean[] written;            // [chunk] the token's accumulator row holds a value
    private final RowViews gathered;            // [chunk, H] one expert's input rows
    private final RowViews gate;                // [chunk, I]
    private final RowViews up;                  // [chunk, I]
    private final RowViews down;                // [chunk, H] one expert's output rows
    private final RowViews accumulator;         // [chunk, H] the routed sum (out may alias x)
    private final RowViews sharedOut;           // [chunk, H], or null
    private final RowViews sharedLogit;         // [chunk, 1], or null

    public SparseMoe(MoeSpec spec, ModuleConfig config, Weights weights, Router router, Mlp shared, Device device) {
        if (router == null || !spec.router().equals(router.spec())) {
            throw new IllegalArgumentException(MODULE + ": the router must be built from the spec's "
                    + spec.router() + ", found " + (router == null ? "none" : router.spec()));
        }
        if ((spec.shared() == null) != (shared == null)) {
            throw new IllegalArgumentException(MODULE + ": the spec " + (spec.shared() == null ? "has no" : "has a")
                    + " shared expert, the caller passed " + (shared == null ? "none" : "one"));
        }
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.router = router;
        this.shared = shared;
        int h = spec.hidden();
        int e = spec.experts();
        int k = spec.router().topK();
        MlpSpec expert = spec.expert();
        this.sharedGate = spec.sharedGate()
                ? ModuleWeights.matrix(weights, "shared_expert_gate.weight", MODULE, 1, h) : null;
        this.experts = new ExpertWeights[e];
        for (int i = 0; i < e; i++) {
            experts[i] = ExpertWeights.read(expert, weights, i, ops);
        }
        this.chunk = Math.max(config.prefillChunk(), config.maxBatch());
        this.routed = new AtomicLongArray(e);
        this.picked = new int[chunk * k];
        this.pickWeights = new float[chunk * k];
        this.count = new int[e];
        this.start = new int[e + 1];
        this.cursor = new int[e];
        this.orderToken = new int[chunk * k];
        this.orderWeight = new float[chunk * k];
        this.written = new boolean[chunk];
        this.gathered = new RowViews(chunk, h);
        this.gate = expert.gated() ? new RowViews(chunk, expert.intermediate()) : null;
        this.up = new RowViews(chunk, expert.intermediate());
        this.down = new RowViews(chunk, h);
        this.accumulator = new RowViews(chunk, h);
        this.sharedOut = shared == null ? null : new RowViews(chunk, h);
        this.sharedLogit = sharedGate == null ? null : new RowViews(chunk, 1);
    }

    @Override
    public void prefill(Tensor x, Tensor out) {
        ShapeChecks.rows(MODULE, "prefill input", x, spec.hidden());
        int t = x.dim(0);
        ShapeChecks.sameRows(MODULE, "prefill output", out, t, spec.hidden());
        int c = config.prefillChunk();
        for (int s = 0; s < t; s += c) {
            int n = Math.min(c, t - s);
            forward(x.slice(0, s, n), out.slice(0, s, n), n, false);
        }
    }

    @Override
    public void decode(Tensor x, Tensor out) {
        ShapeChecks.rows(MODULE, "decode input", x, spec.hidden(), config.maxBatch());
        int b = x.dim(0);
        ShapeChecks.sameRows(MODULE, "decode output", out, b, spec.hidden());
        forward(x, out, b, true);
    }

    /** x, out [n, H], n ≤ chunk. */
    private void forward(Tensor x, Tensor out, int n, boolean decode) {
        int k = spec.router().topK();
        router.route(x, picked, pickWeights);
        groupByExpert(n * k);
        Arrays.fill(written, 0, n, false);
        for (int e = 0; e < experts.length; e++) {
            if (count[e] > 0) {
                runExpert(e, x, n);
            }
        }
        Tensor sum = accumulator.rows(n);
        if (shared != null) {
            addShared(x, sum, n, decode);
        }
        ops.copy(sum, out);
    }

    /** Counting sort of the n·k (token, expert) pairs by expert; tokens stay ascending within an expert. */
    private void groupByExpert(int pairs) {
        Arrays.fill(count, 0);
        for (int j = 0; j < pairs; j++) {
            count[picked[j]]++;
        }
        start[0] = 0;
        for (int e = 0; e < count.length; e++) {
            start[e + 1] = start[e] + count[e];
            if (count[e] > 0) {
                routed.addAndGet(e, count[e]);
            }
        }
        int k = spec.router().topK();
        System.arraycopy(start, 0, cursor, 0, count.length);
        for (int j = 0; j < pairs; j++) {
            int e = picked[j];
            int at = cursor[e]++;
            orderToken[at] = j / k;
            orderWeight[at] = pickWeights[j];
        }
    }

    /** Expert e on its m tokens: gather, one matmul per projection, weight, scatter-add. */
    private void runExpert(int e, Tensor x, int n) {
        int m = count[e];
        int first = start[e];
        Tensor in;
        if (m == n) {
            in = x;                                 // every token picked it, in order: no gather
        } else {
            for (int r = 0; r < m; r++) {
                ops.copy(x.slice(0, orderToken[first + r], 1), gathered.row(r));
            }
            in = gathered.rows(m);
        }
        ExpertWeights w = experts[e];
        MlpSpec expert = spec.expert();
        Tensor u = up.rows(m);                      // [m, I]
        ops.matmul(in, w.up(), w.upBias(), u, config.matmulSplit());
        if (expert.gated()) {
            Tensor g = gate.rows(m);
            ops.matmul(in, w.gate(), w.gateBias(), g, config.matmulSplit());
            ops.gatedActivation(expert.activation(), g, u, u);
        } else {
            ops.activation(expert.activation(), u, u);
        }
        ops.matmul(u, w.down(), w.downBias(), down.rows(m), config.matmulSplit());
        for (int r = 0; r < m; r++) {
            int token = orderToken[first + r];
            Tensor y = down.row(r);                 // [1, H]
            ops.scale(y, orderWeight[first + r], y);
            Tensor acc = accumulator.row(token);
            if (written[token]) {
                ops.add(acc, y, acc);
            } else {
                ops.copy(y, acc);
                written[token] = true;
            }
        }
    }

    /** sum += [sigmoid(x · gᵀ) ·] shared(x). */
    private void addShared(Tensor x, Tensor sum, int n, boolean decode) {
        Tensor s = sharedOut.rows(n);
        if (decode) {
            shared.decode(x, s);
        } else {
            shared.prefill(x, s);
        }
        if (sharedGate != null) {
            Tensor logit = sharedLogit.rows(n);     // [n, 1]
            ops.matmul(x, sharedGate, null, logit, config.matmulSplit());
            MemorySegment l = logit.segment();
            for (int r = 0; r < n; r++) {
                float v = l.getAtIndex(F32_LE, r);
                Tensor row = sharedOut.row(r);
                ops.scale(row, (float) (1.0 / (1.0 + Math.exp(-v))), row);
            }
        }
        ops.add(sum, s, sum);
    }

    @Override
    public long[] tokensPerExpert() {
        long[] counts = new long[routed.length()];
        for (int e = 0; e < counts.length; e++) {
            counts[e] = routed.get(e);
        }
        return counts;
    }

    @Override
    public String candidate() {
        return SparseMoeFactory.NAME;
    }

    @Override
    public MoeSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
