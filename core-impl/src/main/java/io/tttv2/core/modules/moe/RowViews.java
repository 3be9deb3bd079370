package io.tttv2.core.modules.moe;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;

/**
 * A preallocated F32 workspace [rows, width] with its leading-row views and each row as a [1, width] view,
 * all made up front so that gathering and scattering single rows on the per-token path allocates nothing.
 */
final class RowViews {

    private final Tensor[] leading;     // leading[n]: [n, width]
    private final Tensor[] row;         // row[i]: [1, width]

    RowViews(int rows, int width) {
        Tensor full = Tensor.allocate(Arena.ofAuto(), DType.F32, rows, width);
        this.leading = new Tensor[rows + 1];
        this.row = new Tensor[rows];
        for (int i = 0; i < rows; i++) {
            leading[i + 1] = full.slice(0, 0, i + 1);
            row[i] = full.slice(0, i, 1);
        }
    }

    /** The first n rows: [n, width]. */
    Tensor rows(int n) {
        return leading[n];
    }

    /** Row i: [1, width]. */
    Tensor row(int i) {
        return row[i];
    }
}
