package io.tttv2.testing.validating;

import io.tttv2.api.candidate.ModuleKind;
import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.testing.coverage.ShapeBuckets;
import io.tttv2.testing.reference.AttentionBackendReference;
import io.tttv2.testing.validation.ValidationRegistry;
import java.util.List;

/**
 * An {@link AttentionBackend} checked against {@link AttentionBackendReference}, which reads the keys and
 * values back from the paged cache the implementation attended over (a backend only reads the cache, so the
 * reference, run right after, sees what it saw). The queries are copied first; the arrays a runner reuses
 * between steps are frozen.
 */
final class ValidatingAttentionBackend extends ValidatingModule implements AttentionBackend {

    private final AttentionBackend implementation;
    private final LazyReference<AttentionBackendReference> reference;

    ValidatingAttentionBackend(AttentionBackend implementation, AttentionBackendSpec spec,
                               ValidationRegistry registry) {
        super(ModuleKind.ATTENTION_BACKEND, implementation, DType.F32, List.of(), registry);
        this.implementation = implementation;
        this.reference = new LazyReference<>(() -> new AttentionBackendReference(spec));
    }

    @Override
    public void prefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start, Tensor out) {
        if (!validator.active()) {
            implementation.prefill(q, cache, layer, table, start, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(q);                  // [T, heads, D]
        int tokens = q.dim(0);
        validator.validate(capturedAt, ShapeBuckets.PREFILL, tokens, q.shape(),
                () -> implementation.prefill(q, cache, layer, table, start, out), out::toFloatArray,
                () -> reference.get().prefill(input, tokens, cache, layer, table, start));
    }

    @Override
    public void decode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out) {
        if (!validator.active()) {
            implementation.decode(q, cache, layer, tables, positions, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(q);                  // [B, heads, D]
        BlockTable[] frozenTables = tables.clone();
        int[] frozenPositions = positions.clone();
        validator.validate(capturedAt, ShapeBuckets.DECODE, q.dim(0), q.shape(),
                () -> implementation.decode(q, cache, layer, tables, positions, out), out::toFloatArray,
                () -> reference.get().decode(input, cache, layer, frozenTables, frozenPositions));
    }

    /** A mixed step's rows: the per-row reference reads each row's keys 0 .. positions[r] back from the cache. */
    @Override
    public void step(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out) {
        if (!validator.active()) {
            implementation.step(q, cache, layer, tables, positions, out);
            return;
        }
        long capturedAt = System.nanoTime();
        double[] input = Values.of(q);                  // [rows, heads, D]
        BlockTable[] frozenTables = tables.clone();
        int[] frozenPositions = positions.clone();
        validator.validate(capturedAt, ShapeBuckets.STEP, q.dim(0), q.shape(),
                () -> implementation.step(q, cache, layer, tables, positions, out), out::toFloatArray,
                () -> reference.get().decode(input, cache, layer, frozenTables, frozenPositions));
    }
}
