package io.tttv2.core.cpu.kv;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.kv.KvCacheSpec;
import io.tttv2.api.kv.PagedKvCache;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.memory.ZeroedPages;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A paged KV cache in off-heap memory: per layer one K tensor [blocks, blockSize, kvHeads, keyDim] and, when the
 * spec stores values, one V tensor [blocks, blockSize, kvHeads, valueDim], in the cache's dtype, zeroed pages
 * committed as they are first written ({@link ZeroedPages}) in a shared arena that {@link #close()} frees. A latent cache (no values) holds only its entries.
 */
public final class CpuPagedKvCache implements PagedKvCache {

    private final KvCacheSpec spec;
    private final Arena arena;
    private final Tensor[] keys;     // [layers] of [blocks, blockSize, kvHeads, keyDim]
    private final Tensor[] values;   // [layers] of [blocks, blockSize, kvHeads, valueDim], or null entries
    private final BlockPool pool;
    private boolean closed;

    public CpuPagedKvCache(KvCacheSpec spec) {
        if (!spec.dtype().isFloating()) {
            throw new IllegalArgumentException("KV cache spec: dtype " + spec.dtype() + ", expected F32, BF16 or F16");
        }
        this.spec = spec;
        this.arena = Arena.ofShared();
        this.keys = new Tensor[spec.layers()];
        this.values = new Tensor[spec.layers()];
        for (int l = 0; l < spec.layers(); l++) {
            keys[l] = zeroed(spec.blocks(), spec.blockSize(), spec.kvHeads(), spec.keyDim());
            if (spec.storesValues()) {
                values[l] = zeroed(spec.blocks(), spec.blockSize(), spec.kvHeads(), spec.valueDim());
            }
        }
        this.pool = new BlockPool(spec.blocks());
    }

    /**
     * A zeroed tensor of the cache's dtype in lazily committed pages: a cache sized for many full-context sequences
     * (a server's) costs memory as blocks are written, not all at start.
     */
    private Tensor zeroed(int... shape) {
        long elements = 1;
        for (int d : shape) {
            elements = Math.multiplyExact(elements, d);
        }
        return Tensor.wrap(ZeroedPages.allocate(arena, spec.dtype().bytesFor(elements)), spec.dtype(), shape);
    }

    @Override
    public KvCacheSpec spec() {
        return spec;
    }

    @Override
    public Tensor keys(int layer) {
        return keys[checkLayer(layer)];
    }

    @Override
    public Tensor values(int layer) {
        Tensor v = values[checkLayer(layer)];
        if (v == null) {
            throw new IllegalStateException("KV cache: " + spec + " stores no values; they are read from the keys");
        }
        return v;
    }

    private int checkLayer(int layer) {
        if (layer < 0 || layer >= keys.length) {
            throw new IndexOutOfBoundsException("KV cache: layer " + layer + ", the cache has " + keys.length + " layers");
        }
        return layer;
    }

    @Override
    public BlockTable newSequence() {
        return new CpuBlockTable(pool, this::copyBlock, spec.blockSize());
    }

    @Override
    public boolean sharesBlocks() {
        return true;
    }

    /** Block {@code from}'s keys and values, every layer, into block {@code to} (copy-on-write of a shared block). */
    private void copyBlock(int from, int to) {
        for (int l = 0; l < keys.length; l++) {
            copyBlock(keys[l], from, to);
            if (values[l] != null) {
                copyBlock(values[l], from, to);
            }
        }
    }

    /** t [blocks, blockSize, kvHeads, dim], contiguous: block i is one run of bytes. */
    private static void copyBlock(Tensor t, int from, int to) {
        long bytes = t.stride(0) * t.dtype().byteSize();
        MemorySegment.copy(t.segment(), from * bytes, t.segment(), to * bytes, bytes);
    }

    @Override
    public int freeBlocks() {
        return pool.free();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "CpuPagedKvCache" + spec;
    }
}
