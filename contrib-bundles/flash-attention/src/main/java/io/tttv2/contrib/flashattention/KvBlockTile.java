package io.tttv2.contrib.flashattention;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * A run of consecutive rows of one KV cache block, for one KV head, widened to F32 on the heap: keys
 * {@code k} and values {@code v}, both [rows, D]. Loaded once per (query tile, run of keys) and read by every
 * query of the tile. Its capacity is fixed at construction, independent of the cache's block size: a larger
 * block is read in several runs. The cache's K and V are [blocks, blockSize, kvHeads, D] in F32, BF16 or F16.
 */
final class KvBlockTile {

    final float[] k;    // [capacity, D]
    final float[] v;    // [capacity, D]
    private final int headDim;

    /** Room for {@code capacity} rows of {@code headDim}. */
    KvBlockTile(int capacity, int headDim) {
        this.k = new float[capacity * headDim];
        this.v = new float[capacity * headDim];
        this.headDim = headDim;
    }

    /** Rows {@code rowFrom .. rowFrom+rows-1} (rows ≤ capacity) of physical block {@code block}, KV head g. */
    void load(Tensor keys, Tensor values, int block, int rowFrom, int rows, int g) {
        read(keys, block, rowFrom, rows, g, headDim, k);
        read(values, block, rowFrom, rows, g, headDim, v);
    }

    private static void read(Tensor cache, int block, int rowFrom, int rows, int g, int headDim, float[] dst) {
        MemorySegment base = cache.base();
        DType dtype = cache.dtype();
        for (int r = 0; r < rows; r++) {
            long at = cache.offset() + block * cache.stride(0) + (rowFrom + r) * cache.stride(1) + g * cache.stride(2);
            int to = r * headDim;
            if (dtype == DType.F32 && cache.stride(3) == 1) {
                MemorySegment.copy(base, TileState.F32_LE, at * 4, dst, to, headDim);
            } else {
                for (int d = 0; d < headDim; d++) {
                    dst[to + d] = Tensor.readFloat(base, dtype, at + d * cache.stride(3));
                }
            }
        }
    }
}
