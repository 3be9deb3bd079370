package io.tttv2.testing.reference;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.ops.AttentionParams;
import java.util.Arrays;

/**
 * What an attention backend computes (HF's attention functions, e.g. {@code sdpa_attention_forward}):
 * {@link ScaledDotProduct} of the given queries over the keys and values of the sequence read back from the
 * paged cache, where the attention module wrote them before calling the backend:
 *
 * <pre>
 * keys, values = cache[layer][table][0 .. last]           [last + 1, kvHeads, D]
 * for the query at position p: softmax(scale · q·kᵀ, soft-capped; keys j ≤ p when causal, p − j &lt; window) v
 * </pre>
 */
public final class AttentionBackendReference {

    private final AttentionBackendSpec spec;
    private final ScaledDotProduct sdpa;

    public AttentionBackendReference(AttentionBackendSpec spec) {
        AttentionParams p = spec.params();
        this.spec = spec;
        this.sdpa = new ScaledDotProduct(spec.heads(), spec.kvHeads(), spec.headDim(), spec.valueDim(), p.scale(),
                p.slidingWindow(), p.softcap());
    }

    public AttentionBackendSpec spec() {
        return spec;
    }

    /** q [T, heads, D] of one sequence at positions {@code start .. start+T-1}; → [T, heads, Dv]. */
    public double[] prefill(double[] q, int tokens, PagedKvCache cache, int layer, BlockTable table, int start) {
        checkRows(q, tokens);
        int count = start + tokens;
        double[] keys = CachedKeysValues.keys(cache, layer, table, count);         // [start + T, kvHeads, D]
        double[] values = values(cache, layer, table, count, keys);
        double[] context = new double[tokens * spec.heads() * spec.valueDim()];
        for (int t = 0; t < tokens; t++) {
            int position = start + t;
            sdpa.attend(q, t, keys, values, position, spec.params().causal() ? position : count - 1, context);
        }
        return context;
    }

    /** q [B, heads, D], row b at {@code positions[b]} of the sequence of {@code tables[b]}; → [B, heads, Dv]. */
    public double[] decode(double[] q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions) {
        int batch = positions.length;
        checkRows(q, batch);
        if (tables.length != batch) {
            throw new IllegalArgumentException("attention backend reference: " + batch + " positions and "
                    + tables.length + " block tables");
        }
        int row = spec.heads() * spec.headDim();
        int outRow = spec.heads() * spec.valueDim();
        double[] context = new double[batch * outRow];
        for (int b = 0; b < batch; b++) {
            int count = positions[b] + 1;
            double[] keys = CachedKeysValues.keys(cache, layer, tables[b], count);
            double[] values = values(cache, layer, tables[b], count, keys);
            double[] own = Arrays.copyOfRange(q, b * row, (b + 1) * row);
            double[] out = new double[outRow];
            sdpa.attend(own, 0, keys, values, positions[b], positions[b], out);
            System.arraycopy(out, 0, context, b * outRow, outRow);
        }
        return context;
    }

    /**
     * The cached values [count, kvHeads, Dv]; for a cache that stores none (latent attention), the first Dv
     * elements of each key entry (keys [count, kvHeads, D]).
     */
    private double[] values(PagedKvCache cache, int layer, BlockTable table, int count, double[] keys) {
        if (cache.spec().storesValues()) {
            return CachedKeysValues.values(cache, layer, table, count);
        }
        int d = spec.headDim();
        int dv = spec.valueDim();
        double[] values = new double[count * spec.kvHeads() * dv];
        for (int i = 0; i < count * spec.kvHeads(); i++) {
            System.arraycopy(keys, i * d, values, i * dv, dv);
        }
        return values;
    }

    private void checkRows(double[] q, int rows) {
        if (q.length != rows * spec.heads() * spec.headDim()) {
            throw new IllegalArgumentException("attention backend reference: query of " + q.length
                    + " elements, expected " + rows + " x " + spec.heads() + " x " + spec.headDim());
        }
    }
}
