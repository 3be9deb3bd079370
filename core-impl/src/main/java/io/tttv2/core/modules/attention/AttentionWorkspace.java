package io.tttv2.core.modules.attention;

import io.tttv2.api.modules.AttentionSpec;
import io.tttv2.core.modules.RowBuffer;

/**
 * Preallocated buffers for {@code rows} tokens of one attention pass.
 *
 * @param q       [rows, heads · headDim] projected (then normed, rotated) queries
 * @param k       [rows, kvHeads · headDim] keys
 * @param v       [rows, kvHeads · headDim] values
 * @param context [rows, heads · headDim] attention output before o_proj
 */
record AttentionWorkspace(RowBuffer q, RowBuffer k, RowBuffer v, RowBuffer context) {

    static AttentionWorkspace of(int rows, AttentionSpec spec) {
        return new AttentionWorkspace(
                new RowBuffer(rows, spec.heads(), spec.headDim()),
                new RowBuffer(rows, spec.kvHeads(), spec.headDim()),
                new RowBuffer(rows, spec.kvHeads(), spec.headDim()),
                new RowBuffer(rows, spec.heads(), spec.headDim()));
    }
}
