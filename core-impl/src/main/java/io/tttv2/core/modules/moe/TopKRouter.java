package io.tttv2.core.modules.moe;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.Router;
import io.tttv2.api.modules.RouterSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.RowBuffer;
import io.tttv2.core.modules.ShapeChecks;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The router of Mixtral, Qwen2-MoE and DeepSeek-V3 ({@link RouterSpec}): logits = x · gateᵀ with the op
 * library, then each token's scores and picks on the CPU ({@link ExpertSelection}). Weights: {@code weight}
 * [experts, hidden] in its stored dtype, {@code e_score_correction_bias} [experts] when the spec has it.
 */
public final class TopKRouter implements Router {

    private static final String MODULE = "router";
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final RouterSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Tensor gate;              // [E, H]
    private final float[] correctionBias;   // [E], or null
    private final RowBuffer logits;         // [chunk, E]
    private final float[] row;              // [E] one token's logits
    private final ExpertSelection selection;
    private final int chunk;

    public TopKRouter(RouterSpec spec, ModuleConfig config, Weights weights, Device device) {
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        int e = spec.experts();
        this.gate = ModuleWeights.matrix(weights, "weight", MODULE, e, spec.hidden());
        this.correctionBias = spec.correctionBias()
                ? ModuleWeights.matrix(weights, "e_score_correction_bias", MODULE, e).toFloatArray() : null;
        this.chunk = Math.max(config.prefillChunk(), config.maxBatch());
        this.logits = new RowBuffer(chunk, e);
        this.row = new float[e];
        this.selection = new ExpertSelection(spec);
    }

    @Override
    public void route(Tensor x, int[] experts, float[] weights) {
        ShapeChecks.rows(MODULE, "input", x, spec.hidden());
        int t = x.dim(0);
        int k = spec.topK();
        if (experts.length < (long) t * k || weights.length < (long) t * k) {
            throw new IllegalArgumentException(MODULE + ": " + t + " tokens need " + (t * k)
                    + " expert and weight entries, found " + experts.length + " and " + weights.length);
        }
        int e = spec.experts();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            Tensor l = logits.rows(n);                      // [n, E]
            ops.matmul(n == t ? x : x.slice(0, s, n), gate, null, l, config.matmulSplit());     // one chunk (decode): no view to make
            MemorySegment m = l.segment();
            for (int i = 0; i < n; i++) {
                MemorySegment.copy(m, F32_LE, (long) i * e * 4, row, 0, e);
                selection.select(row, correctionBias, experts, weights, (s + i) * k);
            }
        }
    }

    @Override
    public String candidate() {
        return TopKRouterFactory.NAME;
    }

    @Override
    public RouterSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
