package io.tttv2.core.modules.attention;

import io.tttv2.api.modules.Norm;
import io.tttv2.core.modules.RowBuffer;

/** Each head normalised over its head dim: the projection seen as [rows · heads, headDim] (Qwen3, Gemma 3). */
record PerHeadNorm(Norm norm) implements HeadNorm {

    @Override
    public void prefill(RowBuffer projection, int rows) {
        norm.prefill(projection.headRows(rows), projection.headRows(rows));
    }

    @Override
    public void decode(RowBuffer projection, int rows) {
        norm.decode(projection.headRows(rows), projection.headRows(rows));
    }
}
