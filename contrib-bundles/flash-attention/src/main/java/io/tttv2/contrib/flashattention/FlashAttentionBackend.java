package io.tttv2.contrib.flashattention;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.modules.AttentionBackend;
import io.tttv2.api.modules.AttentionBackendSpec;
import io.tttv2.api.modules.ModuleConfig;
import io.tttv2.api.ops.Device;
import io.tttv2.api.tensor.Tensor;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;

/**
 * softmax(scale · QKᵀ [window, soft-cap, causal]) V over the paged KV cache by {@link FlashKernel}: tiled,
 * online softmax over the KV blocks the attention module has already written. Everything around it —
 * projections, q/k norms, rotary, the cache write — is the attention module's.
 *
 * <p>Its workers ({@link KernelWorkers}, {@code device.parallelism()} threads counting the caller) and each
 * worker's tile buffers are made here, once; prefill and decode allocate nothing. The kernel streams over
 * the keys a tile at a time, so no buffer depends on {@code config.maxBatch} or {@code config.prefillChunk}:
 * any batch or chunk length runs in the same buffers. The workers stop when the backend is garbage (a
 * {@link Cleaner}; {@code AttentionBackend} has no close).
 */
final class FlashAttentionBackend implements AttentionBackend {

    /** Created with the first backend; its thread ends once this bundle's classes and backends are gone. */
    private static final class Cleanup {
        static final Cleaner CLEANER = Cleaner.create();
    }

    private final AttentionBackendSpec spec;
    private final ModuleConfig config;
    private final FlashKernel kernel;

    FlashAttentionBackend(AttentionBackendSpec spec, ModuleConfig config, Device device) {
        this.spec = spec;
        this.config = config;
        KernelWorkers workers = new KernelWorkers(device.parallelism(), "tttv2-flash-attention");
        this.kernel = new FlashKernel(spec, workers);
        Cleanup.CLEANER.register(this, workers::close);
    }

    @Override
    public void prefill(Tensor q, PagedKvCache cache, int layer, BlockTable table, int start, Tensor out) {
        try {
            kernel.prefill(q, cache, layer, table, start, out);
        } finally {
            Reference.reachabilityFence(this);     // the cleaner must not stop the workers mid-call
        }
    }

    @Override
    public void decode(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out) {
        try {
            kernel.decode(q, cache, layer, tables, positions, out);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * A mixed step's rows, each a query at its own sequence and position: the decode kernel's tiles are one row
     * each, and each sees its sequence's keys up to its own position, however many rows share the sequence.
     */
    @Override
    public void step(Tensor q, PagedKvCache cache, int layer, BlockTable[] tables, int[] positions, Tensor out) {
        try {
            kernel.decode(q, cache, layer, tables, positions, out);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public String candidate() {
        return FlashAttentionBackendFactory.NAME;
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
