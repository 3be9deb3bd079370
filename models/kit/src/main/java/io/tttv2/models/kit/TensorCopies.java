package io.tttv2.models.kit;

import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** The two load-time copies a weight mapping may need, in the weights' own dtype (no conversion). */
final class TensorCopies {

    private TensorCopies() {
    }

    /** w [in, out] → [out, in] (GPT-2's Conv1D stores its weight transposed). */
    static Tensor transposed(Tensor w) {
        if (w.rank() != 2) {
            throw new IllegalArgumentException("only a matrix can be transposed, found shape " + shape(w));
        }
        int in = w.dim(0), out = w.dim(1);
        long size = w.dtype().byteSize();
        Tensor t = Tensor.allocate(Arena.ofAuto(), w.dtype(), out, in);
        MemorySegment src = w.segment();
        MemorySegment dst = t.segment();
        // [in, out] row by row: element (i, o) goes to (o, i); element-sized copies keep the dtype's bits exact
        for (int i = 0; i < in; i++) {
            for (int o = 0; o < out; o++) {
                MemorySegment.copy(src, ((long) i * out + o) * size, dst, ((long) o * in + i) * size, size);
            }
        }
        return t;
    }

    /**
     * Rows {@code g·stride + offset .. + rows} of every group g, gathered: fused [groups·stride, …] →
     * [groups·rows, …] (GPT-NeoX's query_key_value, per head q, k, v).
     */
    static Tensor interleavedPart(Tensor fused, int groups, int offset, int rows, int stride) {
        if ((long) groups * stride != fused.dim(0)) {
            throw new IllegalArgumentException("a fused tensor of " + fused.dim(0) + " rows does not hold " + groups
                    + " groups of " + stride);
        }
        int[] shape = fused.shape();
        shape[0] = groups * rows;
        Tensor part = Tensor.allocate(Arena.ofAuto(), fused.dtype(), shape);
        long rowBytes = fused.dtype().bytesFor(fused.elementCount() / fused.dim(0));   // whole blocks for a quantised type
        MemorySegment src = fused.segment();
        MemorySegment dst = part.segment();
        for (int g = 0; g < groups; g++) {
            MemorySegment.copy(src, ((long) g * stride + offset) * rowBytes, dst, (long) g * rows * rowBytes, rows * rowBytes);
        }
        return part;
    }

    private static String shape(Tensor t) {
        return java.util.Arrays.toString(t.shape());
    }
}
