package io.tttv2.core.modules.mlp;

import io.tttv2.core.modules.RowBuffer;

/**
 * Preallocated buffers for {@code rows} tokens of one MLP pass.
 *
 * @param gate [rows, intermediate] gate projection, then act(gate) · up (unused by a plain MLP: null)
 * @param up   [rows, intermediate] up projection
 */
record MlpWorkspace(RowBuffer gate, RowBuffer up) {

    static MlpWorkspace gated(int rows, int intermediate) {
        return new MlpWorkspace(new RowBuffer(rows, intermediate), new RowBuffer(rows, intermediate));
    }

    static MlpWorkspace plain(int rows, int intermediate) {
        return new MlpWorkspace(null, new RowBuffer(rows, intermediate));
    }
}
