package io.tttv2.integration.hf.gguf;

import java.lang.foreign.MemorySegment;

/**
 * The row order llama.cpp's converter gives q_proj and k_proj of the Llama family. HF rotates the two halves of
 * each head ({@code rotate_half}: row {@code i} pairs with {@code i + d/2}); llama.cpp rotates adjacent pairs
 * ({@code 2i} with {@code 2i+1}). The converter reshapes the rows of each head from {@code [2, d/2]} to
 * {@code [d/2, 2]}: GGUF row {@code h·d + 2i + j} is HF row {@code h·d + j·d/2 + i}. Whole rows move, so this
 * works for any row layout, block-quantised rows included; a bias is a matrix with one-element rows.
 */
final class QkPermutation {

    private QkPermutation() {
    }

    /** The HF row stored at GGUF row {@code row}, for heads of {@code headDim} rows. */
    static long hfRowOfGgufRow(long row, int headDim) {
        long head = row / headDim;
        int r = (int) (row % headDim);
        int i = r / 2;
        int j = r % 2;
        return head * headDim + (long) j * (headDim / 2) + i;
    }

    /**
     * Copies {@code source} (rows in GGUF order) into {@code target} in HF order ({@code toHf}) or the other way.
     *
     * @param rowBytes bytes of one row
     * @param headDim  rows per head (even)
     */
    static void copy(MemorySegment source, MemorySegment target, long rows, long rowBytes, int headDim, boolean toHf) {
        if (headDim % 2 != 0 || rows % headDim != 0) {
            throw new IllegalArgumentException(rows + " rows do not split into heads of an even " + headDim);
        }
        for (long g = 0; g < rows; g++) {
            long h = hfRowOfGgufRow(g, headDim);
            long from = toHf ? g : h;
            long to = toHf ? h : g;
            MemorySegment.copy(source, from * rowBytes, target, to * rowBytes, rowBytes);
        }
    }
}
