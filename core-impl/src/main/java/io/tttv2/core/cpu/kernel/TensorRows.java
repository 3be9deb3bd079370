package io.tttv2.core.cpu.kernel;

import io.tttv2.api.tensor.Tensor;

/**
 * A tensor seen as rows along its last dimension, addressed without allocating: row {@code r} is the
 * row-major index over all dimensions but the last. A rank-0 tensor is one row of one element.
 */
public final class TensorRows {

    private TensorRows() {
    }

    /** Elements per row: the last dimension. */
    public static int width(Tensor t) {
        return t.rank() == 0 ? 1 : t.dim(-1);
    }

    /** Number of rows: the product of every dimension but the last. */
    public static int count(Tensor t) {
        int rows = 1;
        for (int d = 0; d < t.rank() - 1; d++) {
            rows *= t.dim(d);
        }
        return rows;
    }

    /** Distance between consecutive elements of a row, in elements. */
    public static long innerStride(Tensor t) {
        return t.rank() == 0 ? 1 : t.stride(-1);
    }

    /** Offset of row {@code row}'s first element in {@code t.base()}, in elements. */
    public static long offset(Tensor t, int row) {
        long at = t.offset();
        for (int d = t.rank() - 2; d >= 0; d--) {
            int n = t.dim(d);
            at += (row % n) * t.stride(d);
            row /= n;
        }
        return at;
    }

    /** Offset of row {@code row}'s first element in {@code t.base()}, in bytes (whole blocks for a quantised type). */
    public static long byteOffset(Tensor t, int row) {
        return t.dtype().bytesFor(offset(t, row));
    }
}
