package io.tttv2.core.modules;

import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import io.tttv2.core.memory.ZeroedPages;

/**
 * A preallocated F32 workspace of {@code [rows, heads * headDim]} and its views over the leading rows.
 * Views are made the first time a row count is asked for and reused afterwards, so that taking n rows on
 * the per-token path allocates nothing once warm. Views are immutable, so racing to create one is harmless.
 */
public final class RowBuffer {

    private final Tensor full;          // [rows, heads * headDim]
    private final int heads;
    private final int headDim;
    private final Tensor[] rows;        // rows[n]: [n, heads * headDim]
    private final Tensor[] split;       // split[n]: [n, heads, headDim]
    private final Tensor[] headRows;    // headRows[n]: [n * heads, headDim]
    private final Tensor[] row;         // row[i]: [1, heads, headDim], row i alone

    /** A buffer of {@code rows} rows of {@code heads · headDim} elements. */
    public RowBuffer(int rows, int heads, int headDim) {
        if (rows <= 0 || heads <= 0 || headDim <= 0) {
            throw new IllegalArgumentException("workspace needs positive dims, found " + rows + " rows of "
                    + heads + " x " + headDim);
        }
        // lazily committed zeros: a short prompt touches the pages of its few rows only
        this.full = Tensor.wrap(ZeroedPages.allocate(Math.multiplyExact(4L * rows, Math.multiplyExact(heads, headDim))),
                DType.F32, rows, heads * headDim);
        this.heads = heads;
        this.headDim = headDim;
        this.rows = new Tensor[rows + 1];
        this.split = new Tensor[rows + 1];
        this.headRows = new Tensor[rows + 1];
        this.row = new Tensor[rows];
    }

    /** A buffer of {@code rows} rows of {@code width} elements (one "head"). */
    public RowBuffer(int rows, int width) {
        this(rows, 1, width);
    }

    /** Rows the buffer holds. */
    public int capacity() {
        return full.dim(0);
    }

    /** The first n rows: [n, heads * headDim]. */
    public Tensor rows(int n) {
        Tensor t = rows[n];
        if (t == null) {
            t = full.slice(0, 0, n);
            rows[n] = t;
        }
        return t;
    }

    /** The first n rows split into heads: [n, heads, headDim]. */
    public Tensor split(int n) {
        Tensor t = split[n];
        if (t == null) {
            t = rows(n).reshape(n, heads, headDim);
            split[n] = t;
        }
        return t;
    }

    /** The first n rows with every head as its own row: [n * heads, headDim]. */
    public Tensor headRows(int n) {
        Tensor t = headRows[n];
        if (t == null) {
            t = rows(n).reshape(n * heads, headDim);
            headRows[n] = t;
        }
        return t;
    }

    /** Row i alone, split into heads: [1, heads, headDim]. */
    public Tensor row(int i) {
        Tensor t = row[i];
        if (t == null) {
            t = full.slice(0, i, 1).reshape(1, heads, headDim);
            row[i] = t;
        }
        return t;
    }
}
