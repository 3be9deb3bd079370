package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.BlockCodec;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.MemorySegment;

/**
 * Gathers rows of an embedding table [V, H] (any float dtype, or block-quantised: GGUF files quantise
 * {@code token_embd}, and a row is then dequantised) into out [ids.length, H] F32.
 */
public final class EmbeddingKernel {

    private EmbeddingKernel() {
    }

    /** Gathers ids {@code [from, to)}; an id outside {@code [0, V)} throws naming it. */
    public static void gather(Tensor table, int[] ids, Tensor out, int from, int to) {
        int vocab = table.dim(0);
        int h = table.dim(1);
        DType tt = table.dtype();
        MemorySegment ts = table.base();
        MemorySegment os = out.base();
        long t1 = table.stride(1);
        long o1 = out.stride(1);
        boolean unit = t1 == 1 && o1 == 1;
        float[] scratch = ThreadScratch.floats(ThreadScratch.ROW, h);
        BlockCodec codec = tt.isQuantized() ? BlockCodec.of(tt) : null;
        for (int r = from; r < to; r++) {
            int id = ids[r];
            if (id < 0 || id >= vocab) {
                throw new IllegalArgumentException("embedding: token id " + id + " at index " + r
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
            long ta = table.offset() + id * table.stride(0);
            long oa = out.offset() + r * out.stride(0);
            if (codec != null) {
                // a quantised row is whole blocks with unit stride: decode it, then store with out's stride
                codec.decode(ts, ta, scratch, 0, h);
                for (int i = 0; i < h; i++) {
                    os.set(Lanes.F32_LE, (oa + i * o1) * 4, scratch[i]);
                }
            } else if (unit) {
                Lanes.widen(tt, ts, ta, h, os, oa, scratch);
            } else {
                for (int i = 0; i < h; i++) {
                    os.set(Lanes.F32_LE, (oa + i * o1) * 4, Lanes.read(tt, ts, ta + i * t1));
                }
            }
        }
    }
}
