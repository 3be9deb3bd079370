package io.tttv2.contrib.flashattention;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.api.tensor.DType;
import io.tttv2.api.tensor.Tensor;
import java.lang.foreign.Arena;

/**
 * Preallocated F32 buffers for {@code rows} tokens of one attention pass.
 *
 * @param q       [rows, heads · D] projected (then normed, rotated) queries
 * @param k       [rows, kvHeads · D] keys
 * @param v       [rows, kvHeads · D] values
 * @param context [rows, heads · D] attention output before o_proj
 */
record Workspace(Tensor q, Tensor k, Tensor v, Tensor context) {

    Workspace(int rows, AttentionSpec spec) {
        this(buffer(rows, spec.heads() * spec.headDim()), buffer(rows, spec.kvHeads() * spec.headDim()),
                buffer(rows, spec.kvHeads() * spec.headDim()), buffer(rows, spec.heads() * spec.headDim()));
    }

    /** The first n rows of {@code buffer} split into heads: [n, heads, width / heads]. */
    Tensor heads(Tensor buffer, int n, int heads) {
        return buffer.slice(0, 0, n).reshape(n, heads, buffer.dim(1) / heads);
    }

    private static Tensor buffer(int rows, int width) {
        return Tensor.allocate(Arena.ofAuto(), DType.F32, rows, width);
    }
}
