package io.tttv2.integration.tokenizers.pretokenizer;

import java.util.Arrays;

/**
 * A text cut into consecutive ranges, each flagged as a match of a pattern or not (HF {@code find_matches}):
 * the ranges cover the whole text in order.
 */
public final class Matches {
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] isMatch = new boolean[16];
    private int size;

    public void add(int start, int end, boolean match) {
        if (size == starts.length) {
            starts = Arrays.copyOf(starts, size * 2);
            ends = Arrays.copyOf(ends, size * 2);
            isMatch = Arrays.copyOf(isMatch, size * 2);
        }
        starts[size] = start;
        ends[size] = end;
        isMatch[size] = match;
        size++;
    }

    public int size() {
        return size;
    }

    public int start(int i) {
        return starts[i];
    }

    public int end(int i) {
        return ends[i];
    }

    public boolean isMatch(int i) {
        return isMatch[i];
    }

    /** The same ranges with every flag flipped ({@code invert: true}). */
    public Matches inverted() {
        Matches out = new Matches();
        for (int i = 0; i < size; i++) {
            out.add(starts[i], ends[i], !isMatch[i]);
        }
        return out;
    }
}
