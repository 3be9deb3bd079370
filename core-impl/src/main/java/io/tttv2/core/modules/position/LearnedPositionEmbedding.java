package io.tttv2.core.modules.position;

import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.modules.PositionEmbedding;
import io.tttv2.api.modules.PositionEmbeddingSpec;
import io.tttv2.api.modules.Weights;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.modules.ModuleWeights;
import io.tttv2.core.modules.RowBuffer;
import io.tttv2.core.modules.ShapeChecks;

/**
 * Learned absolute position embedding (GPT-2's {@code wpe}, an {@code nn.Embedding} over positions): the row
 * of each token's position gathered from {@code weight} [maxPositions, hidden], read in its stored dtype, and
 * added to the token's hidden state in place. Prefill gathers into a workspace of {@code config.prefillChunk}
 * rows (longer prefills run in chunks), decode into one of {@code config.maxBatch} rows, both allocated here.
 */
public final class LearnedPositionEmbedding implements PositionEmbedding {

    private static final String MODULE = "position embedding";

    private final PositionEmbeddingSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final Tensor table;                 // [maxPositions, hidden]
    private final RowBuffer prefillRows;        // [prefillChunk, hidden] F32
    private final RowBuffer decodeRows;         // [maxBatch, hidden] F32

    public LearnedPositionEmbedding(PositionEmbeddingSpec spec, ModuleConfig config, Weights weights, Device device) {
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.table = ModuleWeights.matrix(weights, "weight", MODULE, spec.maxPositions(), spec.hidden());
        this.prefillRows = new RowBuffer(config.prefillChunk(), spec.hidden());
        this.decodeRows = new RowBuffer(config.maxBatch(), spec.hidden());
    }

    @Override
    public void prefill(Tensor x, int start) {
        ShapeChecks.rows(MODULE, "prefill input", x, spec.hidden());
        int t = x.dim(0);
        if (start < 0 || start + t > spec.maxPositions()) {
            int position = start < 0 ? start : start + t - 1;
            throw outOfRange(position);
        }
        int chunk = config.prefillChunk();
        for (int s = 0; s < t; s += chunk) {
            int n = Math.min(chunk, t - s);
            int[] positions = new int[n];       // one small array per prefill chunk, not per token
            for (int i = 0; i < n; i++) {
                positions[i] = start + s + i;
            }
            Tensor rows = x.slice(0, s, n);                     // [n, hidden]
            ops.embedding(table, positions, prefillRows.rows(n));
            ops.add(rows, prefillRows.rows(n), rows);           // x[t] += weight[start + t]
        }
    }

    @Override
    public void decode(Tensor x, int[] positions) {
        ShapeChecks.rows(MODULE, "decode input", x, spec.hidden(), config.maxBatch());
        int b = x.dim(0);
        if (positions.length != b) {
            throw new IllegalArgumentException(MODULE + ": decode of " + b + " rows got " + positions.length
                    + " positions");
        }
        for (int position : positions) {
            if (position < 0 || position >= spec.maxPositions()) {
                throw outOfRange(position);
            }
        }
        Tensor rows = decodeRows.rows(b);                       // [B, hidden]
        ops.embedding(table, positions, rows);
        ops.add(x, rows, x);                                    // x[b] += weight[positions[b]]
    }

    private IllegalArgumentException outOfRange(int position) {
        return new IllegalArgumentException(MODULE + ": position " + position + " is outside 0 .. "
                + (spec.maxPositions() - 1) + " (maxPositions " + spec.maxPositions() + ")");
    }

    @Override
    public String candidate() {
        return LearnedPositionEmbeddingFactory.NAME;
    }

    @Override
    public PositionEmbeddingSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
