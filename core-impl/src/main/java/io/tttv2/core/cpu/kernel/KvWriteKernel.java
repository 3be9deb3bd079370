package io.tttv2.core.cpu.kernel;

import io.tttv2.api.kv.BlockTable;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Stores T tokens' keys or values [T, kvHeads, D] (F32, any strides) at positions start.. of one sequence
 * in a cache tensor [blocks, blockSize, kvHeads, D], converting to the cache's dtype.
 */
public final class KvWriteKernel {

    private KvWriteKernel() {
    }

    /** Writes tokens {@code [from, to)} of src. */
    public static void write(Tensor src, Tensor cache, BlockTable table, int start, int from, int to) {
        int kvHeads = src.dim(1);
        int d = src.dim(2);
        int blockSize = cache.dim(1);
        DType ct = cache.dtype();
        MemorySegment ss = src.base();
        MemorySegment cs = cache.base();
        long s2 = src.stride(2);
        long c3 = cache.stride(3);
        boolean raw = ct == DType.F32 && s2 == 1 && c3 == 1;
        for (int t = from; t < to; t++) {
            int pos = start + t;
            int block = table.block(pos / blockSize);
            long rowAt = cache.offset() + block * cache.stride(0) + (pos % blockSize) * cache.stride(1);
            for (int g = 0; g < kvHeads; g++) {
                long sa = src.offset() + t * src.stride(0) + g * src.stride(1);
                long ca = rowAt + g * cache.stride(2);
                if (raw) {
                    MemorySegment.copy(ss, sa * 4, cs, ca * 4, (long) d * 4);
                } else {
                    for (int i = 0; i < d; i++) {
                        Lanes.write(ct, cs, ca + i * c3, ss.get(Lanes.F32_LE, (sa + i * s2) * 4));
                    }
                }
            }
        }
    }
}
