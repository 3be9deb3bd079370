package io.tttv2.core.modules.attention;

import io.tttv2.api.modules.Norm;
import io.tttv2.core.modules.RowBuffer;

/** The whole projection normalised before the head split: [rows, heads · headDim] (OLMo 2). */
record FullProjectionNorm(Norm norm) implements HeadNorm {

    @Override
    public void prefill(RowBuffer projection, int rows) {
        norm.prefill(projection.rows(rows), projection.rows(rows));
    }

    @Override
    public void decode(RowBuffer projection, int rows) {
        norm.decode(projection.rows(rows), projection.rows(rows));
    }
}
