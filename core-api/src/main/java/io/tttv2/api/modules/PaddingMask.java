package io.tttv2.api.modules;

import java.util.Arrays;

/**
 * Which tokens of a padded batch [B, T] are real: HF's {@code attention_mask} (1 = token, 0 = padding), as
 * flags in row-major order. Padded keys are hidden from every query; padded queries are computed like the
 * others (as HF does) and their rows are the caller's to ignore.
 *
 * @param batch  sequences B
 * @param length tokens per sequence T (the padded length)
 * @param keep   B·T flags, row-major: true for a real token (the array is the mask's own: do not modify it)
 */
public record PaddingMask(int batch, int length, boolean[] keep) {

    public PaddingMask {
        if (batch <= 0 || length <= 0 || keep == null || keep.length != batch * length) {
            throw new IllegalArgumentException("padding mask needs " + batch + " x " + length + " flags, found "
                    + (keep == null ? "none" : keep.length));
        }
    }

    /** Every token real (no padding). */
    public static PaddingMask none(int batch, int length) {
        boolean[] keep = new boolean[batch * length];
        Arrays.fill(keep, true);
        return new PaddingMask(batch, length, keep);
    }

    /** From HF's {@code attention_mask} [B, T]: nonzero = token, 0 = padding. */
    public static PaddingMask of(long[] attentionMask, int batch, int length) {
        if (attentionMask.length != batch * length) {
            throw new IllegalArgumentException("attention_mask has " + attentionMask.length + " values, expected "
                    + batch + " x " + length);
        }
        boolean[] keep = new boolean[attentionMask.length];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = attentionMask[i] != 0;
        }
        return new PaddingMask(batch, length, keep);
    }

    /** Right padding: sequence b has {@code lengths[b]} real tokens, then padding up to {@code length}. */
    public static PaddingMask rightPadded(int length, int... lengths) {
        boolean[] keep = new boolean[lengths.length * length];
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0 || lengths[b] > length) {
                throw new IllegalArgumentException("sequence " + b + " has " + lengths[b] + " tokens, expected 0 .. "
                        + length);
            }
            Arrays.fill(keep, b * length, b * length + lengths[b], true);
        }
        return new PaddingMask(lengths.length, length, keep);
    }

    /** True if token t of sequence b is real. */
    public boolean keeps(int b, int t) {
        return keep[b * length + t];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PaddingMask m && m.batch == batch && m.length == length && Arrays.equals(m.keep, keep);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * batch + length) + Arrays.hashCode(keep);
    }

    @Override
    public String toString() {
        return "PaddingMask[" + batch + " x " + length + "]";
    }
}
