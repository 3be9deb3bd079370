package io.tttv2.core.modules.backend;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.AttentionParams;
import io.tttv2.api.ops.Device;
import io.tttv2.api.ops.Ops;
import io.tttv2.api.tensor.Tensor;
import java.util.Arrays;

/**
 * softmax(scale · QKᵀ [+ mask, soft-cap]) V by the device's own attention kernels ({@code attentionPrefill},
 * {@code attentionDecode}): HF's {@code sdpa} attention function. The parameters (scale, causality, window,
 * soft-cap) are the spec's and the KV tile the config's, bound here; the per-token path checks shapes and calls the op, allocating nothing.
 */
public final class SdpaAttentionBackend implements AttentionBackend {

    private static final String MODULE = "attention backend";

    private final AttentionBackendSpec spec;
    private final ModuleConfig config;
    private final Ops ops;
    private final AttentionParams params;

    public SdpaAttentionBackend(AttentionBackendSpec spec, ModuleConfig config, Device device) {
        this.spec = spec;
        this.config = config;
        this.ops = device.ops();
        this.params = spec.params().withKvTile(config.kvTile());    // the config's tile over the cache (0: untiled)
    }

    @Override
    public void prefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start, Tensor out) {
        checkHeads("prefill query", q, spec.headDim());
        checkOutput("prefill output", out, q);
        if (start < 0) {
            throw new IllegalArgumentException(MODULE + ": prefill start position must be >= 0, found " + start);
        }
        ops.attentionPrefill(q, cache, layer, table, start, params, out);       // q [T, heads, D], out [T, heads, Dv]
    }

    @Override
    public void decode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out) {
        checkHeads("decode query", q, spec.headDim());
        checkOutput("decode output", out, q);
        int b = q.dim(0);
        if (tables.length != b || positions.length != b) {
            throw new IllegalArgumentException(MODULE + ": decode of " + b + " rows got " + positions.length
                    + " positions and " + tables.length + " block tables");
        }
        ops.attentionDecode(q, cache, layer, tables, positions, params, out);   // q [B, heads, D], out [B, heads, Dv]
    }

    /**
     * Every row of a mixed step at its own table and position, in one call: the op's per-row kernel attends
     * row r causally over its sequence's positions 0 .. positions[r], however many rows share that sequence.
     */
    @Override
    public void step(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out) {
        checkHeads("step query", q, spec.headDim());
        checkOutput("step output", out, q);
        int rows = q.dim(0);
        if (tables.length != rows || positions.length != rows) {
            throw new IllegalArgumentException(MODULE + ": step of " + rows + " rows got " + positions.length
                    + " positions and " + tables.length + " block tables");
        }
        ops.attentionDecode(q, cache, layer, tables, positions, params, out);   // q [rows, heads, D], out [rows, heads, Dv]
    }

    /** t must be [rows, heads, width] with rows > 0; the message is built only on failure. */
    private void checkHeads(String what, Tensor t, int width) {
        if (t.rank() != 3 || t.dim(0) <= 0 || t.dim(1) != spec.heads() || t.dim(2) != width) {
            throw new IllegalArgumentException(MODULE + ": " + what + " has shape " + Arrays.toString(t.shape())
                    + ", expected [rows, " + spec.heads() + ", " + width + "]");
        }
    }

    /** out must be [rows of q, heads, valueDim]. */
    private void checkOutput(String what, Tensor out, Tensor q) {
        if (out.rank() != 3 || out.dim(0) != q.dim(0) || out.dim(1) != q.dim(1) || out.dim(2) != spec.valueDim()) {
            throw new IllegalArgumentException(MODULE + ": " + what + " has shape " + Arrays.toString(out.shape())
                    + ", expected [" + q.dim(0) + ", " + q.dim(1) + ", " + spec.valueDim() + "]");
        }
    }

    @Override
    public String candidate() {
        return SdpaAttentionBackendFactory.NAME;
    }

    @Override
    public AttentionBackendSpec spec() {
        return spec;
    }

    @Override
    public ModuleConfig config() {
        return config;
    }
}
