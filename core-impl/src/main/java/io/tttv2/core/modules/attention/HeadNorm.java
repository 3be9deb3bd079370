package io.tttv2.core.modules.attention;

import io.tttv2.core.modules.RowBuffer;

/**
 * The normalisation of projected queries or keys before RoPE, bound at construction (HF's {@code q_norm},
 * {@code k_norm}): none, each head over its own elements (Qwen3, Gemma 3) or the whole projection before
 * the head split (OLMo 2). Normalises the first {@code rows} rows of a buffer in place.
 */
interface HeadNorm {

    void prefill(RowBuffer projection, int rows);

    void decode(RowBuffer projection, int rows);

    /** No q/k norm: nothing to do. */
    HeadNorm NONE = new HeadNorm() {
        @Override
        public void prefill(RowBuffer projection, int rows) {
        }

        @Override
        public void decode(RowBuffer projection, int rows) {
        }
    };
}
